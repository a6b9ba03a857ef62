// AI Config targeting as the docs' semantic patches change it: rules, individual targets, a percentage rollout for
// the default rule, the off variation, default variations by value; all applied together in one environment (the
// others untouched), the flag's targeting the same, one audit entry on the config in that environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const SEMANTIC_PATCH = { 'Content-Type': 'application/json; domain-model=launchdarkly.semanticpatch' };

describe('getAIConfigTargeting, patchAIConfigTargeting', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs/chat';
  let ids: Record<string, string>;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/projects/shop/ai-configs', { key: 'chat', name: 'Chat', tags: ['t'] })).status).toBe(201);
    for (const key of ['fast', 'smart']) expect((await s.post(`${url}/variations`, { key, name: key, messages: [{ role: 'system', content: key }] })).status).toBe(201);
    ids = Object.fromEntries((await s.get(`${url}/targeting`)).body.variations.map((v: { _id: string; name: string }) => [v.name, v._id]));
  });
  afterAll(() => s.close());

  it('a new config: every environment on, serving the disabled variation', async () => {
    const res = await s.get(`${url}/targeting`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'chat', name: 'Chat', tags: ['t'], _version: 3, defaults: { onVariation: 0, offVariation: 0 }, experiments: { baselineIdx: 0, items: [] } });
    expect(Object.keys(res.body.environments).sort()).toEqual(['production', 'test']);
    // Each variation added is served to the SDKs, a version of every environment's targeting: 1, then 2 and 3.
    expect(res.body.environments.test).toEqual({
      _environmentName: 'Test',
      _version: 3,
      enabled: true,
      lastModified: expect.any(Number),
      targets: [],
      contextTargets: [],
      rules: [],
      fallthrough: { variation: 0 },
      offVariation: 0,
      trackEvents: false,
      trackEventsFallthrough: false,
    });
  });

  it('rules, targets, a rollout, the off variation, defaults: all in one patch, in one environment', async () => {
    const res = await s.patch(
      `${url}/targeting`,
      {
        environmentKey: 'production',
        comment: 'launch',
        instructions: [
          { kind: 'addRule', description: 'Nordics', clauses: [{ contextKind: 'organization', attribute: 'located_in', op: 'in', negate: false, values: ['Sweden', 'Norway'] }], variationId: ids.smart },
          { kind: 'addTargets', values: ['ada'], variationId: ids.fast },
          { kind: 'addTargets', contextKind: 'device', values: ['d-1'], variationId: ids.smart },
          { kind: 'updateFallthroughVariationOrRollout', rolloutContextKind: 'user', rolloutWeights: { [ids.fast]: 15000, [ids.smart]: 85000 } },
          { kind: 'updateOffVariation', variationId: ids.disabled },
          { kind: 'updateTrackEventsFallthrough', trackEvents: true },
        ],
      },
      { headers: SEMANTIC_PATCH },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const production = res.body.environments.production;
    expect(production).toMatchObject({
      _version: 4,
      enabled: true,
      targets: [{ contextKind: 'user', values: ['ada'], variation: 1 }],
      contextTargets: [{ contextKind: 'device', values: ['d-1'], variation: 2 }],
      rules: [{ _id: expect.any(String), description: 'Nordics', clauses: [{ id: expect.any(String), contextKind: 'organization', attribute: 'located_in', op: 'in', values: ['Sweden', 'Norway'], negate: false }], variation: 2, trackEvents: false }],
      fallthrough: { rollout: { contextKind: 'user', variations: [{ variation: 1, weight: 15000 }, { variation: 2, weight: 85000 }] } },
      offVariation: 0,
      trackEventsFallthrough: true,
    });
    expect(res.body.environments.test._version).toBe(3);
    expect((await s.get(`${url}/targeting`)).body).toEqual(res.body);
    // The flag's own targeting is the same.
    const flag = (await s.get('/api/v2/flags/shop/chat?env=production')).body.environments.production;
    expect(flag).toMatchObject({ on: true, fallthrough: production.fallthrough, offVariation: 0, version: 4 });
    const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/shop:env/production:aiconfig/chat')}`)).body.items;
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ kind: 'aiconfig', comment: 'launch', title: expect.stringContaining('updated the targeting of the AI Config Chat in production') });

    const ruleId = production.rules[0]._id;
    const again = await s.patch(`${url}/targeting`, { environmentKey: 'production', instructions: [{ kind: 'updateRuleVariationOrRollout', ruleId, variationId: ids.fast }, { kind: 'removeTargets', values: ['ada'], variationId: ids.fast }] }, { headers: SEMANTIC_PATCH });
    expect(again.body.environments.production).toMatchObject({ rules: [{ variation: 1 }], targets: [] });
  });

  it('updateDefaultVariation names the variations by value', async () => {
    const targeting = (await s.get(`${url}/targeting`)).body;
    const res = await s.patch(`${url}/targeting`, { environmentKey: 'production', instructions: [{ kind: 'updateDefaultVariation', onVariationValue: targeting.variations[2].value, offVariationValue: targeting.variations[0].value }] }, { headers: SEMANTIC_PATCH });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.defaults).toEqual({ onVariation: 2, offVariation: 0 });
  });
});
