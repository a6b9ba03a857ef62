// postMigrationSafetyIssues: a semantic patch of a flag, checked as patchFeatureFlag checks one, answered 204: a flag
// that is not a migration flag has no stages for a patch to move contexts between, and a migration flag's issues are
// not judged yet. Asking changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMigrationSafetyIssues', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/flags/checkout/environments/production/migration-safety-issues';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('204 for a patch of the targeting, and nothing changes', async () => {
    let res: { status: number; body: unknown } | undefined;
    const patch = { comment: 'roll out', instructions: [{ kind: 'turnFlagOn' }, { kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [(await s.get('/api/v2/flags/shop/checkout')).body.variations[0]._id]: 100000 } }] };
    expect(await changedBy(s.store, async () => (res = await s.post(path, patch)))).toBe(false);
    expect(res!.status).toBe(204);
    expect(res!.body).toBe('');
  });

  it('204 for any flag instruction, in the semantic patch content type too', async () => {
    const res = await s.request('POST', path, { raw: JSON.stringify({ instructions: [{ kind: 'addTargets', variationId: 'x', values: ['a'] }] }), headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } });
    expect(res.status).toBe(204);
  });

  it('204 for a migration flag too: its issues are not judged yet', async () => {
    expect((await s.post('/api/v2/flags/shop', { key: 'orders-db', name: 'Orders DB', purpose: 'migration', migrationSettings: { stageCount: 2 } })).status).toBe(201);
    const complete = (await s.get('/api/v2/flags/shop/orders-db')).body.variations[1]._id;
    const res = await s.post('/api/v2/projects/shop/flags/orders-db/environments/production/migration-safety-issues', { instructions: [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [complete]: 100000 } }] });
    expect(res.status).toBe(204);
  });
});
