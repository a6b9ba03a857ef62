// deleteOAuthClient: 204; the client is gone from the list and by id, and the deletion is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteOAuthClient', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('204, then 404 by id and absent from the list', async () => {
    const kept = (await s.post('/api/v2/oauth/clients', { name: 'Kept', redirectUri: 'https://kept.example.com/cb' })).body;
    const gone = (await s.post('/api/v2/oauth/clients', { name: 'Gone', redirectUri: 'https://gone.example.com/cb' })).body;
    const res = await s.del(`/api/v2/oauth/clients/${gone._clientId}`);
    expect(res.status).toBe(204);
    expect((await s.get(`/api/v2/oauth/clients/${gone._clientId}`)).status).toBe(404);
    expect((await s.get('/api/v2/oauth/clients')).body.items.map((c: { _clientId: string }) => c._clientId)).toEqual([kept._clientId]);
    const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`oauth-client/${gone._clientId}`)}`)).body.items[0];
    expect(entry).toMatchObject({ kind: 'oauth-client', name: 'Gone' });
  });
});
