// Deleting a destination: 204, then a 404 naming it; audited. A destination goes with its environment and project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteDestination', () => {
  let s: TestServer;
  const pubsub = { kind: 'google-pubsub', config: { project: 'p', topic: 't' } };
  const remaining = async () => (await s.store.db.selectFrom('destinations').select('id').execute()).length;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('204; then a 404 naming it; audited', async () => {
    const made = (await s.post('/api/v2/destinations/shop/production', pubsub)).body;
    expect((await s.del(`/api/v2/destinations/shop/production/${made._id}`)).status).toBe(204);
    expect((await s.get(`/api/v2/destinations/shop/production/${made._id}`)).body).toEqual({ code: 'not_found', message: `Destination "${made._id}" not found` });
    expect((await s.get('/api/v2/destinations')).body.items).toEqual([]);
    const entry = (await s.get(`/api/v2/auditlog?spec=proj/shop:env/production:destination/*`)).body.items[0];
    expect(entry.accesses).toEqual([{ action: 'deleteDestination', resource: `proj/shop:env/production:destination/${made._id}` }]);
  });

  it("an environment's deletion takes its destinations with it, and so does its project's", async () => {
    expect((await s.post('/api/v2/projects/shop/environments', { key: 'doomed', name: 'Doomed', color: '000000' })).status).toBe(201);
    await s.post('/api/v2/destinations/shop/doomed', pubsub);
    await s.post('/api/v2/destinations/shop/production', pubsub);
    expect(await remaining()).toBe(2);
    expect((await s.del('/api/v2/projects/shop/environments/doomed')).status).toBe(204);
    expect(await remaining()).toBe(1);
    // The last project of an account is never deleted: another one stays.
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    expect((await s.del('/api/v2/projects/shop')).status).toBe(204);
    expect(await remaining()).toBe(0);
  });
});
