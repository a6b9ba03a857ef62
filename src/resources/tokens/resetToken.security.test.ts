// Resetting a token hands its new value to the caller: a custom-role token may reset only a token whose grants it could
// itself give (some of its own custom roles), as postToken and patchToken refuse giving more than the caller holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unchangedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('resetToken: security', () => {
  let s: TestServer;
  let manager: string;
  let viewer: string;
  let caller: string;
  const reset = (id: string, token: string) => s.request('POST', `/api/v2/tokens/${id}/reset`, { token });
  const create = async (body: Record<string, unknown>): Promise<{ _id: string; token: string }> => {
    const res = await s.post('/api/v2/tokens', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  beforeAll(async () => {
    s = await startServer();
    // Every token action on every token: only the escalation rule stands between it and a more powerful token.
    manager = (await s.post('/api/v2/roles', { key: 'token-manager', name: 'Token manager', policy: [{ effect: 'allow', resources: ['member/*:token/*', 'service-token/*'], actions: ['*'] }] })).body._id;
    viewer = (await s.post('/api/v2/roles', { key: 'viewer', name: 'Viewer', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }] })).body._id;
    caller = (await create({ name: 'caller', customRoleIds: [manager, viewer] })).token;
  });
  afterAll(() => s.close());

  it('a custom-role token may not reset a token holding more than it could give: 403, and the old value still works', async () => {
    const other = (await s.post('/api/v2/roles', { key: 'other', name: 'Other', policy: [{ effect: 'allow', resources: ['*'], actions: ['*'] }] })).body._id;
    for (const body of [
      { name: 'admin service token', role: 'admin', serviceToken: true },
      { name: 'admin token', role: 'admin' },
      { name: 'writer token', role: 'writer' },
      { name: 'reader token', role: 'reader' },
      { name: 'inline role', inlineRole: [{ effect: 'allow', resources: ['*'], actions: ['*'] }] },
      { name: 'another custom role', customRoleIds: [manager, other] },
    ]) {
      const target = await create(body);
      const res = await unchangedBy(s.store, () => reset(target._id, caller));
      expect(res.status, body.name).toBe(403);
      expect(res.body).toEqual({ code: 'forbidden', message: expect.stringContaining('some of its own custom roles') });
      expect(res.body).not.toHaveProperty('token');
      expect((await s.get('/api/v2/members', { token: target.token })).status, body.name).toBe(200);
    }
  });

  it('it may reset a token holding some of its own custom roles, and receives the new value', async () => {
    for (const customRoleIds of [[manager, viewer], [viewer]]) {
      const target = await create({ name: 'subset', customRoleIds });
      const res = await reset(target._id, caller);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.token).toMatch(/^api-[0-9a-f-]{36}$/);
      expect((await s.get('/api/v2/members', { token: target.token })).status).toBe(401);
    }
  });

  it('a built-in admin token resets any token, an admin one included', async () => {
    const target = await create({ name: 'another admin', role: 'admin', serviceToken: true });
    const res = await reset(target._id, s.tokens.admin);
    expect(res.status).toBe(200);
    expect((await s.get('/api/v2/tokens', { token: res.body.token })).status).toBe(200);
  });
});
