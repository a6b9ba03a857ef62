// Deleting a webhook: 204, gone from the list and 404 after; its waiting retries go with it; audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteWebhook', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('204; then 404 and not listed; a retry waiting for it is dropped; the deletion is audited', async () => {
    const kept = (await s.post('/api/v2/webhooks', { url: 'https://example.com/kept', sign: false, on: false })).body;
    const doomed = (await s.post('/api/v2/webhooks', { url: 'https://example.com/doomed', sign: false, on: false, name: 'Doomed' })).body;
    // A delivery waiting to be tried again, as delivery.ts leaves one after a failure.
    await s.store.db.insertInto('webhook_deliveries').values({ entry_id: 'e1', webhook_id: doomed._id, attempts: 1, next_at: Date.now() + 60_000 }).execute();
    await s.store.db.insertInto('webhook_deliveries').values({ entry_id: 'e1', webhook_id: kept._id, attempts: 1, next_at: Date.now() + 60_000 }).execute();
    const res = await s.del(`/api/v2/webhooks/${doomed._id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(`/api/v2/webhooks/${doomed._id}`)).status).toBe(404);
    expect((await s.get('/api/v2/webhooks')).body.items.map((w: { _id: string }) => w._id)).toEqual([kept._id]);
    expect((await s.store.db.selectFrom('webhook_deliveries').select('webhook_id').execute()).map((r) => r.webhook_id)).toEqual([kept._id]);
    const entry = (await s.get('/api/v2/auditlog?spec=webhook/*')).body.items[0];
    expect(entry).toMatchObject({ kind: 'webhook', name: 'Doomed', accesses: [{ action: 'deleteWebhook', resource: `webhook/${doomed._id}` }] });
    expect((await s.del(`/api/v2/webhooks/${doomed._id}`)).body).toEqual({ code: 'not_found', message: `Webhook "${doomed._id}" not found` });
  });
});
