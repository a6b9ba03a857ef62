import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy, expectWriters } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const OPS = [{ op: 'replace', path: '/temporary', value: false }];

describe('patchFlagDefaultsByProject: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('writers and admins, as for the project it changes: 403 for a reader, 401 without a valid token; nothing changes', async () => {
    await expectWriters(s, (token) => s.patch('/api/v2/projects/shop/flag-defaults', OPS, { token }));
    expect((await s.patch('/api/v2/projects/shop/flag-defaults', OPS, { token: s.tokens.writer })).status).toBe(200);
  });

  it('a custom role needs updateProjectFlagDefaults on the project, whatever the patch touches', async () => {
    const partial = await s.post('/api/v2/tokens', {
      name: 'client-side only',
      inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject', 'updateDefaultClientSideAvailability', 'updateTags'] }],
    });
    let refused: any;
    const ops = [{ op: 'replace', path: '/defaultClientSideAvailability/usingMobileKey', value: false }];
    expect(await changedBy(s.store, async () => (refused = await s.patch('/api/v2/projects/shop/flag-defaults', ops, { token: partial.body.token })))).toBe(false);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    const editor = await s.post('/api/v2/tokens', { name: 'editor', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject', 'updateProjectFlagDefaults'] }] });
    const allowed = await s.patch('/api/v2/projects/shop/flag-defaults', ops, { token: editor.body.token });
    expect(allowed.status).toBe(200);
    expect(allowed.body.defaultClientSideAvailability.usingMobileKey).toBe(false);
  });

  it('pointers that try to reach outside the defaults are refused by name', async () => {
    for (const path of ['/__proto__/polluted', '/constructor/prototype/polluted']) {
      const res = await s.patch('/api/v2/projects/shop/flag-defaults', [{ op: 'add', path, value: true }]);
      expect(res.status, path).toBe(400);
      expect(res.body.errors[0].attribute, path).toBe(path);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
