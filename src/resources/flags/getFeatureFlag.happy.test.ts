import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlag: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', {
      name: 'Shop',
      key: 'shop',
      environments: [
        { name: 'Production', key: 'production', color: '417505' },
        { name: 'Staging', key: 'staging', color: '00AAFF' },
        { name: 'Test', key: 'test', color: 'F5A623' },
      ],
    });
    await s.post('/api/v2/flags/shop', { name: 'Colour', key: 'colour', variations: [{ value: 'red' }, { value: 'green' }, { value: 'blue' }] });
  });
  afterAll(() => s.close());

  it('returns every environment in the project order by default', async () => {
    const res = await s.get('/api/v2/flags/shop/colour');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.environments)).toEqual(['production', 'staging', 'test']);
  });

  it('`env` restricts the environments, repeated or comma-separated', async () => {
    expect(Object.keys((await s.get('/api/v2/flags/shop/colour?env=staging')).body.environments)).toEqual(['staging']);
    expect(Object.keys((await s.get('/api/v2/flags/shop/colour?env=test&env=production')).body.environments)).toEqual(['production', 'test']);
    expect(Object.keys((await s.get('/api/v2/flags/shop/colour?env=test,staging')).body.environments)).toEqual(['staging', 'test']);
  });

  it('shows rules with their ids and a _summary counting what serves each variation', async () => {
    const patched = await s.patch('/api/v2/flags/shop/colour', [
      { op: 'add', path: '/environments/production/rules/-', value: { variation: 2, clauses: [{ attribute: 'country', op: 'in', values: ['NL'], negate: false }], description: 'Dutch' } },
      { op: 'add', path: '/environments/production/rules/-', value: { rollout: { variations: [{ variation: 0, weight: 40000 }, { variation: 2, weight: 60000 }] }, clauses: [] } },
      { op: 'add', path: '/environments/production/targets/-', value: { variation: 1, values: ['ann', 'bob'] } },
      { op: 'replace', path: '/environments/production/fallthrough', value: { rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }], bucketBy: 'email' } } },
    ]);
    expect(patched.status).toBe(200);
    const production = (await s.get('/api/v2/flags/shop/colour?env=production')).body.environments.production;
    expect(production.rules[0]).toMatchObject({ variation: 2, trackEvents: false, description: 'Dutch', clauses: [{ attribute: 'country', op: 'in', values: ['NL'], negate: false }] });
    expect(production.rules[0]._id).toBeTypeOf('string');
    expect(production.rules[0].clauses[0]._id).toBeTypeOf('string');
    expect(production._summary).toEqual({
      prerequisites: 0,
      variations: {
        '0': { rules: 1, nullRules: 1, targets: 0, contextTargets: 0, rollout: 50000, bucketBy: 'email' },
        '1': { rules: 0, nullRules: 0, targets: 2, contextTargets: 0, rollout: 50000, bucketBy: 'email' },
        '2': { rules: 2, nullRules: 1, targets: 0, contextTargets: 0, isOff: true },
      },
    });
  });
});
