// getOAuthClientById: one client as registered, without its secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getOAuthClientById', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('answers the client by its _clientId', async () => {
    const made = (await s.post('/api/v2/oauth/clients', { name: 'Portal', redirectUri: 'https://portal.example.com/oauth', description: 'Portal' })).body;
    const res = await s.get(`/api/v2/oauth/clients/${made._clientId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _clientId: made._clientId, name: 'Portal', description: 'Portal', redirectUri: 'https://portal.example.com/oauth', _creationDate: made._creationDate });
    expect(res.body).not.toHaveProperty('_clientSecret');
  });
});
