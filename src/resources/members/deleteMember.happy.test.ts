// Removing a member: 204, gone from the list, an audit entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteMember', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('204; the member is gone and the removal is in the audit log', async () => {
    const id = (await s.post('/api/v2/members', [{ email: 'gone@acme.com' }])).body.items[0]._id;
    const res = await s.del(`/api/v2/members/${id}`);
    expect(res.status).toBe(204);
    expect((await s.get(`/api/v2/members/${id}`)).status).toBe(404);
    expect((await s.get('/api/v2/members')).body.totalCount).toBe(1);
    const entries = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`member/${id}`)}`)).body.items;
    expect(entries.map((e: { description?: string; title?: string }) => JSON.stringify(e)).some((text: string) => text.includes('removed the member gone@acme.com'))).toBe(true);
  });
});
