import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy, expectWriters } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const PAYLOAD = {
  tags: ['x'],
  temporary: false,
  booleanDefaults: { trueDisplayName: 'Yes', falseDisplayName: 'No', trueDescription: '', falseDescription: '', onVariation: 0, offVariation: 1 },
  defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: true },
};

describe('putFlagDefaultsByProject: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('writers and admins, as for the project it changes: 403 for a reader, 401 without a valid token; nothing changes', async () => {
    await expectWriters(s, (token) => s.put('/api/v2/projects/shop/flag-defaults', PAYLOAD, { token }));
    expect((await s.put('/api/v2/projects/shop/flag-defaults', PAYLOAD, { token: s.tokens.writer })).status).toBe(200);
  });

  it('a custom role needs updateProjectFlagDefaults on the project', async () => {
    const viewer = await s.post('/api/v2/tokens', { name: 'viewer', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject', 'updateTags'] }] });
    let refused: any;
    expect(await changedBy(s.store, async () => (refused = await s.put('/api/v2/projects/shop/flag-defaults', PAYLOAD, { token: viewer.body.token })))).toBe(false);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    const editor = await s.post('/api/v2/tokens', { name: 'editor', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject', 'updateProjectFlagDefaults'] }] });
    const allowed = await s.put('/api/v2/projects/shop/flag-defaults', PAYLOAD, { token: editor.body.token });
    expect(allowed.status).toBe(200);
    expect(allowed.body.tags).toEqual(['x']);
    // Allowed on another project only: refused here.
    const other = await s.post('/api/v2/tokens', { name: 'other', inlineRole: [{ effect: 'allow', resources: ['proj/other'], actions: ['*'] }] });
    expect((await s.put('/api/v2/projects/shop/flag-defaults', PAYLOAD, { token: other.body.token })).status).toBe(403);
  });

  it('a prototype-polluting body is refused or ignored, never stored', async () => {
    const res = await s.request('PUT', '/api/v2/projects/shop/flag-defaults', { raw: JSON.stringify(PAYLOAD).replace('{', '{"__proto__":{"polluted":true},') });
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await s.get('/api/v2/projects/shop/flag-defaults')).body).not.toHaveProperty('polluted');
  });
});
