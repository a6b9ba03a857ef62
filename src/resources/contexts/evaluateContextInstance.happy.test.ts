// evaluateContextInstance against the official Node SDK: for generated contexts, every flag's value and reason is
// what the SDK evaluates from the same flags: off, prerequisites, individual targets, rules with clauses and
// segments, percentage rollouts by attribute and context kind, and a running experiment's bucketing.
import type { LDClient, LDContext } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { random } from '../../analysis/bayesian.js';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const env = (field: string) => `/environments/production/${field}`;
const rollout = (weights: number[], extra: Record<string, unknown> = {}) => ({ rollout: { variations: weights.map((weight, variation) => ({ variation, weight })), ...extra } });

function generated(next: () => number): LDContext {
  const pick = <T,>(items: T[]): T => items[Math.floor(next() * items.length)];
  const user: Record<string, unknown> = { kind: 'user', key: pick(['ada', 'bob', `u-${Math.floor(next() * 1e6)}`]) };
  if (next() < 0.6) user.country = pick(['NZ', 'CA', 'DE']);
  if (next() < 0.6) user.groups = pick([['beta'], ['alpha']]);
  if (next() < 0.5) user.plan = pick(['free', 'pro']);
  const org = { key: pick(['acme', `o-${Math.floor(next() * 1e6)}`]), tier: pick(['gold', 'silver']) };
  const shape = next();
  if (shape < 0.5) return user as LDContext;
  if (shape < 0.7) return { kind: 'org', ...org } as LDContext;
  const { kind: _k, ...userPart } = user;
  return { kind: 'multi', user: userPart, org } as unknown as LDContext;
}

describe('evaluateContextInstance', () => {
  let s: TestServer;
  let w: World;
  let client: LDClient;
  const evaluate = (context: unknown, query = '') => s.post(`/api/v2/projects/${w.project}/environments/production/flags/evaluate${query}`, context, { token: s.tokens.reader });
  const flag = async (key: string, patch: Record<string, unknown>[], body: Record<string, unknown> = {}) => {
    expect((await s.post(`/api/v2/flags/${w.project}`, { key, name: key, ...body })).status).toBe(201);
    if (patch.length > 0) {
      const res = await s.patch(`/api/v2/flags/${w.project}/${key}`, patch);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  };

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    // The world's flag gets a running experiment on its fallthrough.
    await createExperimentIn(s, w);
    expect((await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    await s.post(`/api/v2/segments/${w.project}/production`, { key: 'pros', name: 'Pros' });
    await s.patch(`/api/v2/segments/${w.project}/production/pros`, [{ op: 'replace', path: '/rules', value: [{ clauses: [{ contextKind: 'user', attribute: 'plan', op: 'in', values: ['pro'] }] }] }]);
    const on = { op: 'replace', path: env('on'), value: true };
    await flag('off-flag', [], { variations: [{ value: 'a' }, { value: 'b' }] });
    await flag('targeted', [
      on,
      { op: 'replace', path: env('targets'), value: [{ values: ['ada'], variation: 1 }] },
      { op: 'replace', path: env('contextTargets'), value: [{ contextKind: 'org', values: ['acme'], variation: 1 }] },
      { op: 'replace', path: env('fallthrough'), value: { variation: 0 } },
    ]);
    await flag('ruled', [
      on,
      { op: 'add', path: `${env('rules')}/-`, value: { clauses: [{ contextKind: 'user', attribute: 'country', op: 'in', values: ['NZ'] }, { contextKind: 'user', attribute: 'groups', op: 'in', values: ['beta'] }], variation: 1 } },
      { op: 'add', path: `${env('rules')}/-`, value: { clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['pros'] }], ...rollout([30000, 70000]) } },
      { op: 'add', path: `${env('rules')}/-`, value: { clauses: [{ contextKind: 'org', attribute: 'tier', op: 'in', values: ['gold'] }], ...rollout([50000, 50000], { contextKind: 'org' }) } },
      { op: 'replace', path: env('fallthrough'), value: rollout([60000, 40000], { bucketBy: 'country' }) },
    ]);
    await flag('needs-ruled', [on, { op: 'replace', path: env('prerequisites'), value: [{ key: 'ruled', variation: 1 }] }, { op: 'replace', path: env('fallthrough'), value: { variation: 0 } }]);
    // A prerequisite that is off fails even when its off variation is the one required.
    await flag('needs-off', [on, { op: 'replace', path: env('prerequisites'), value: [{ key: 'off-flag', variation: 1 }] }, { op: 'replace', path: env('fallthrough'), value: { variation: 0 } }]);
    client = sdkClient(s.url, await sdkKeyOf(s, w.project));
    await client.waitForInitialization({ timeout: 10 });
  });
  afterAll(async () => {
    client.close();
    await s.close();
  });

  it('agrees with the official SDK on every flag, value and reason, for 300 generated contexts', async () => {
    const next = random(7);
    const reasons = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const context = generated(next);
      const res = await evaluate(context);
      expect(res.status).toBe(200);
      expect(res.body.totalCount).toBe(6);
      for (const item of res.body.items) {
        const sdk = await client.variationDetail(item.key, context, 'default');
        const { ruleID, ...rest } = item.reason;
        const reason = ruleID === undefined ? rest : { ...rest, ruleId: ruleID };
        expect({ value: item._value, reason }, `${item.key} for ${JSON.stringify(context)}`).toEqual({ value: sdk.value, reason: sdk.reason });
        reasons.add(`${item.key}:${item.reason.kind}${item.reason.inExperiment ? '+experiment' : ''}`);
      }
    }
    // The contexts reached every way a flag here can be decided.
    expect([...reasons].sort()).toEqual(
      expect.arrayContaining([
        'off-flag:OFF',
        'targeted:TARGET_MATCH',
        'targeted:FALLTHROUGH',
        'ruled:RULE_MATCH',
        'ruled:FALLTHROUGH',
        'needs-ruled:PREREQUISITE_FAILED',
        'needs-ruled:FALLTHROUGH',
        'needs-off:PREREQUISITE_FAILED',
        `${w.flag}:FALLTHROUGH+experiment`,
      ]),
    );
  });

  it('each item as LaunchDarkly shows it; filter, sort, limit and offset', async () => {
    const res = await evaluate({ kind: 'user', key: 'ada' }, '?filter=query%20equals%20targ');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          name: 'targeted',
          key: 'targeted',
          _value: false,
          reason: { kind: 'TARGET_MATCH' },
          _links: {
            self: { href: `/api/v2/projects/${w.project}/environments/production/flags/evaluate`, type: 'application/json' },
            site: { href: `/${w.project}/production/features/targeted/targeting`, type: 'text/html' },
          },
        },
      ],
      totalCount: 1,
      _links: { self: { href: `/api/v2/projects/${w.project}/environments/production/flags/evaluate`, type: 'application/json' } },
    });
    const keys = async (query: string) => (await evaluate({ kind: 'user', key: 'bob' }, query)).body.items.map((item: { key: string }) => item.key);
    expect(await keys('')).toEqual([w.flag, 'needs-off', 'needs-ruled', 'off-flag', 'ruled', 'targeted']);
    expect(await keys('?sort=-key&limit=2&offset=1')).toEqual(['ruled', 'off-flag']);
    const off = await evaluate({ kind: 'user', key: 'bob' }, '?filter=query%20equals%20off-flag');
    expect(off.body.items[0]).toMatchObject({ _value: 'b', reason: { kind: 'OFF' } });
  });
});
