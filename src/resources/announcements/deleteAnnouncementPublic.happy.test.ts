// deleteAnnouncementPublic: 204; the announcement is gone from the list, and its time is free again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = 1_731_439_800_000;

describe('deleteAnnouncementPublic', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
  });
  afterAll(() => s.close());

  it('204, gone from the list, audited; another may take its time', async () => {
    const body = { title: 'Banner', message: 'Hello', severity: 'info', isDismissible: true, startTime: NOW - 1000 };
    const id = (await s.post('/api/v2/announcements', body)).body._id;
    expect((await s.del(`/api/v2/announcements/${id}`)).status).toBe(204);
    expect((await s.get('/api/v2/announcements')).body.items).toEqual([]);
    expect((await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`announcement/${id}`)}`)).body.items[0]).toMatchObject({ kind: 'announcement', name: 'Banner' });
    expect((await s.post('/api/v2/announcements', body)).status).toBe(201);
  });
});
