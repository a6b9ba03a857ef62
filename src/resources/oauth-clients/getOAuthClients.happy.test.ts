// getOAuthClients: every client of the account, oldest first, in a ClientCollection, never with a secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getOAuthClients', () => {
  let s: TestServer;
  let now = 1_700_000_000_000;
  beforeAll(async () => {
    s = await startServer({ now: () => now });
  });
  afterAll(() => s.close());

  it('an empty collection, then the clients in the order they were registered', async () => {
    expect((await s.get('/api/v2/oauth/clients')).body).toEqual({ _links: { self: { href: '/api/v2/oauth/clients', type: 'application/json' } }, items: [] });
    const ids: string[] = [];
    for (const name of ['First', 'Second', 'Third']) {
      now += 1000;
      ids.push((await s.post('/api/v2/oauth/clients', { name, redirectUri: `https://example.com/${name}` })).body._clientId);
    }
    const res = await s.get('/api/v2/oauth/clients');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { _clientId: string }) => c._clientId)).toEqual(ids);
    expect(res.body.items.map((c: { name: string }) => c.name)).toEqual(['First', 'Second', 'Third']);
    for (const item of res.body.items) expect(item).not.toHaveProperty('_clientSecret');
  });
});
