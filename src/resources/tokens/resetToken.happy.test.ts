import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('resetToken', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('answers the Token with the whole new value; the old value stops working at once, the new one works', async () => {
    const created = await s.post('/api/v2/tokens', { name: 'ci', role: 'writer' });
    const old = created.body.token;
    expect((await s.get('/api/v2/projects', { token: old })).status).toBe(200);
    const res = await s.request('POST', `/api/v2/tokens/${created.body._id}/reset?expiry=${Date.now() + 60_000}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _id: created.body._id, name: 'ci', role: 'writer' });
    expect(res.body.token).toMatch(/^api-[0-9a-f-]{36}$/);
    expect(res.body.token).not.toBe(old);
    expect((await s.get('/api/v2/projects', { token: old })).status).toBe(401);
    expect((await s.get('/api/v2/projects', { token: res.body.token })).status).toBe(200);
    expect((await s.get(`/api/v2/tokens/${created.body._id}`)).body.token).toBe(res.body.token.slice(-4));
  });

  it('reader and writer tokens may not reset or patch tokens', async () => {
    const created = await s.post('/api/v2/tokens', { name: 'x' });
    for (const role of ['reader', 'writer'] as const) {
      expect((await s.request('POST', `/api/v2/tokens/${created.body._id}/reset`, { token: s.tokens[role] })).status).toBe(403);
      expect((await s.patch(`/api/v2/tokens/${created.body._id}`, [], { token: s.tokens[role] })).status).toBe(403);
    }
    expect((await s.request('POST', `/api/v2/tokens/${created.body._id}/reset`, { token: null })).status).toBe(401);
  });

  it('takes the bodies bodyless clients send: an empty one labelled JSON (the Python client), and null (ldcli)', async () => {
    const created = await s.post('/api/v2/tokens', { name: 'bodyless', role: 'reader' });
    const json = { 'content-type': 'application/json' };
    for (const raw of ['', 'null']) {
      const res = await s.request('POST', `/api/v2/tokens/${created.body._id}/reset`, { raw, headers: json });
      expect(res.status, `body ${JSON.stringify(raw)}`).toBe(200);
      expect(res.body.token).toMatch(/^api-[0-9a-f-]{36}$/);
    }
    // Terraform's launchdarkly_access_token sends its `expire` as a JSON body; another body is refused.
    const withExpiry = await s.request('POST', `/api/v2/tokens/${created.body._id}/reset`, { raw: JSON.stringify({ expiry: Date.now() + 60_000 }), headers: json });
    expect(withExpiry.status, JSON.stringify(withExpiry.body)).toBe(200);
    expect(withExpiry.body.token).toMatch(/^api-[0-9a-f-]{36}$/);
    const badExpiry = await s.request('POST', `/api/v2/tokens/${created.body._id}/reset`, { raw: JSON.stringify({ expiry: 'soon' }), headers: json });
    expect(badExpiry.status).toBe(400);
    expect(badExpiry.body.errors).toEqual([{ attribute: 'expiry', reason: 'must be a Unix time in milliseconds, not "soon"' }]);
    const other = await s.request('POST', `/api/v2/tokens/${created.body._id}/reset`, { raw: JSON.stringify({ name: 'x' }), headers: json });
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual([{ attribute: 'body', reason: 'must be empty' }]);
    // A DELETE labelled JSON with nothing in it is no body either.
    expect((await s.request('DELETE', `/api/v2/tokens/${created.body._id}`, { raw: '', headers: json })).status).toBe(204);
    expect((await s.get(`/api/v2/tokens/${created.body._id}`)).status).toBe(404);
  });
});
