// postMigrationSafetyIssues: a body that is not a semantic patch of flag instructions is a 400 naming what is wrong;
// an unknown project, environment or flag a 404 naming it.
import { afterAll, beforeAll, describe, it } from 'vitest';
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

  it('unknown project, environment or flag: 404 naming it', async () => {
    await expectRefused(s.store, () => s.post(path('checkout', 'production', 'nope'), ok), 404, 'not_found', /nope/);
    await expectRefused(s.store, () => s.post(path('checkout', 'nope'), ok), 404, 'not_found', /nope/);
    await expectRefused(s.store, () => s.post(path('ghost'), ok), 404, 'not_found', 'Flag "ghost" in project "shop" not found');
  });
});
