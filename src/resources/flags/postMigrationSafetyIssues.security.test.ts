// Who may ask about migration safety issues: every token must be valid; it changes nothing, so readers may, and a
// custom role needs only viewProject; another project's flag is out of reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { projectRoleToken } from '../../../test/support/roleTokens.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMigrationSafetyIssues: security', () => {
  let s: TestServer;
  const path = (project = 'shop') => `/api/v2/projects/${project}/flags/checkout/environments/production/migration-safety-issues`;
  const patch = { instructions: [{ kind: 'turnFlagOff' }] };
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'other']) {
      await s.post('/api/v2/projects', { name: key, key });
      await s.post(`/api/v2/flags/${key}`, { key: 'checkout', name: 'Checkout' });
    }
  });
  afterAll(() => s.close());

  it('401 without a valid token; every role may ask', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) await expectRefused(s.store, () => s.post(path(), patch, { token }), 401, 'unauthorized');
    for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) expect((await s.post(path(), patch, { token })).status).toBe(204);
  });

  it('custom roles: viewProject of the flag\'s project, and nothing else', async () => {
    const viewer = await projectRoleToken(s, 'shop', 'proj/shop:env/*:flag/*', []);
    expect((await s.post(path(), patch, { token: viewer })).status).toBe(204);
    await expectRefused(s.store, () => s.post(path('other'), patch, { token: viewer }), 403, 'forbidden', /viewProject on proj\/other/);
  });
});
