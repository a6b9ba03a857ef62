// ldcli's usage analytics need a valid API token, as ldcli sends one (an SDK key is not one); nothing is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postTracking: security', () => {
  let s: TestServer;
  let sdkKey: string;
  beforeAll(async () => {
    s = await startServer();
    const project = await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    sdkKey = project.body.environments[0].apiKey;
  });
  afterAll(() => s.close());

  it('401 without a valid API token', async () => {
    for (const path of ['/internal/tracking', '/api/v2/tracking']) {
      for (const token of [null, 'api-00000000-0000-4000-8000-000000000000', sdkKey]) {
        const res = await s.post(path, { event: 'CLI Command Run', properties: {} }, { token });
        expect(res.status, `${path} ${token}`).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    }
  });

  it('a custom-role token that may do nothing may still report a command: the event touches no resource', async () => {
    const token = (await s.post('/api/v2/tokens', { name: 'nothing', inlineRole: [{ effect: 'deny', resources: ['proj/*'], actions: ['*'] }] })).body.token as string;
    expect((await s.post('/internal/tracking', { event: 'CLI Command Run' }, { token })).status).toBe(204);
  });
});
