// createOAuth2Client: 201 with the Client and its one-time `_clientSecret`; only the secret's hash is stored, and the
// registration is in the audit log (without the secret).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../tokens/tokens.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('createOAuth2Client', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ now: () => 1_700_000_000_000 });
  });
  afterAll(() => s.close());

  it('registers a client: 201 with every field, the secret shown once', async () => {
    const res = await s.post('/api/v2/oauth/clients', { name: 'Example Client', redirectUri: 'https://example.com/callback', description: 'Signs people in' });
    expect(res.status).toBe(201);
    const id = res.body._clientId;
    expect(res.body).toEqual({
      _links: { parent: { href: '/api/v2/oauth/clients', type: 'application/json' }, self: { href: `/api/v2/oauth/clients/${id}`, type: 'application/json' } },
      name: 'Example Client',
      description: 'Signs people in',
      _accountId: s.deps.accountId,
      _clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      _clientSecret: expect.stringMatching(/^[0-9a-f]{64}$/),
      redirectUri: 'https://example.com/callback',
      _creationDate: 1_700_000_000_000,
    });
    const stored = await s.store.db.selectFrom('oauth_clients').select('doc').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.doc).not.toContain(res.body._clientSecret);
    expect(JSON.parse(stored.doc).secretHash).toBe(hashToken(res.body._clientSecret));
    const { _clientSecret: _secret, ...shown } = res.body;
    expect((await s.get(`/api/v2/oauth/clients/${id}`)).body).toEqual(shown);
  });

  it('without a description; each client its own id and secret; audited without the secret', async () => {
    const a = await s.post('/api/v2/oauth/clients', { name: 'A', redirectUri: 'https://a.example.com/cb' });
    const b = await s.post('/api/v2/oauth/clients', { name: 'B', redirectUri: 'https://b.example.com/cb' });
    expect(a.body).not.toHaveProperty('description');
    expect(a.body._clientId).not.toBe(b.body._clientId);
    expect(a.body._clientSecret).not.toBe(b.body._clientSecret);
    const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`oauth-client/${a.body._clientId}`)}`)).body.items[0];
    expect(entry).toMatchObject({ kind: 'oauth-client', name: 'A' });
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(JSON.stringify(full)).not.toContain(a.body._clientSecret);
  });
});
