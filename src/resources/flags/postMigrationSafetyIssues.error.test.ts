// postMigrationSafetyIssues: a body that is not a semantic patch of flag instructions, or a patch that the flag could
// not take (as patchFeatureFlag would refuse it), is a 400 naming what is wrong; an unknown project, environment or
// flag a 404 naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMigrationSafetyIssues: errors', () => {
  let s: TestServer;
  const path = (flag = 'checkout', env = 'production', project = 'shop') => `/api/v2/projects/${project}/flags/${flag}/environments/${env}/migration-safety-issues`;
  const ok = { instructions: [{ kind: 'turnFlagOn' }] };
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' });
  });
  afterAll(() => s.close());

  it('not a semantic patch, or an unknown or malformed instruction: 400 naming it', async () => {
    await expectRefused(s.store, () => s.post(path(), {}), 400, 'invalid_request', /instructions/);
    await expectRefused(s.store, () => s.post(path(), [{ op: 'replace', path: '/on', value: true }]), 400, 'invalid_request', /semantic patch/);
    await expectRefused(s.store, () => s.post(path(), { instructions: [{ kind: 'launchRocket' }] }), 400, 'invalid_request', /instructions\[0\]\.kind: unknown instruction kind "launchRocket"/);
    await expectRefused(s.store, () => s.post(path(), { instructions: [{ kind: 'addTargets' }] }), 400, 'invalid_request', /instructions\[0\]/);
  });

  it('a patch the flag could not take: 400 naming it, as patchFeatureFlag would', async () => {
    await expectRefused(s.store, () => s.post(path(), { instructions: [{ kind: 'addTargets', variationId: 'x', values: ['a'] }] }), 400, 'invalid_request', /variationId/);
    await expectRefused(s.store, () => s.post(path(), { instructions: [{ kind: 'removeRule', ruleId: 'no-such-rule' }, { kind: 'updateRuleDescription', ruleId: 'no-such-rule', description: 'x' }] }), 400, 'invalid_request', /no-such-rule/);
    await s.post('/api/v2/flags/shop', { key: 'orders-db', name: 'Orders DB', purpose: 'migration', migrationSettings: { stageCount: 4 } });
    const live = (await s.get('/api/v2/flags/shop/orders-db')).body.variations[2]._id;
    // A migration flag's cohorts serve rollouts, never one variation.
    await expectRefused(s.store, () => s.post(path('orders-db'), { instructions: [{ kind: 'updateFallthroughVariationOrRollout', variationId: live }] }), 400, 'invalid_request', /fallthrough\.rollout/);
  });

  it('an environmentKey in the body that is not the path\'s: 400 naming it', async () => {
    await expectRefused(s.store, () => s.post(path(), { environmentKey: 'test', instructions: [{ kind: 'turnFlagOn' }] }), 400, 'invalid_request', /environmentKey: must be the environment the path names, "production"/);
    expect((await s.post(path(), { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }] })).status).toBe(204);
  });

  it('unknown project, environment or flag: 404 naming it', async () => {
    await expectRefused(s.store, () => s.post(path('checkout', 'production', 'nope'), ok), 404, 'not_found', /nope/);
    await expectRefused(s.store, () => s.post(path('checkout', 'nope'), ok), 404, 'not_found', /nope/);
    await expectRefused(s.store, () => s.post(path('ghost'), ok), 404, 'not_found', 'Flag "ghost" in project "shop" not found');
  });
});
