// getAnnouncementsPublic: latest start first; `status` filters by the status each has now (the clock moves them from
// scheduled to active to inactive); `limit` and `offset` page them with first/prev/next/last links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const HOUR = 3_600_000;
const T0 = 1_731_400_000_000;

describe('getAnnouncementsPublic', () => {
  let s: TestServer;
  let now = T0;
  beforeAll(async () => {
    s = await startServer({ now: () => now });
    // Back to back, one hour each: past, current, next, and one after it.
    for (const [i, title] of ['Past', 'Current', 'Next', 'Later'].entries()) {
      const res = await s.post('/api/v2/announcements', { title, message: `${title} notice`, severity: 'info', isDismissible: true, startTime: T0 + (i - 1) * HOUR, endTime: T0 + i * HOUR });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => s.close());

  const titles = (body: { items: { title: string }[] }) => body.items.map((a) => a.title);

  it('all of them, latest start first, with their status now', async () => {
    const res = await s.get('/api/v2/announcements');
    expect(res.status).toBe(200);
    expect(titles(res.body)).toEqual(['Later', 'Next', 'Current', 'Past']);
    expect(res.body.items.map((a: { _status: string }) => a._status)).toEqual(['scheduled', 'scheduled', 'active', 'inactive']);
    expect(res.body._links).toEqual({ self: { href: '/api/v2/announcements?limit=20&offset=0', type: 'application/json' } });
  });

  it('status filters by the clock: an hour later the next one is active and the current one inactive', async () => {
    expect(titles((await s.get('/api/v2/announcements?status=active')).body)).toEqual(['Current']);
    expect(titles((await s.get('/api/v2/announcements?status=scheduled')).body)).toEqual(['Later', 'Next']);
    expect(titles((await s.get('/api/v2/announcements?status=inactive')).body)).toEqual(['Past']);
    now = T0 + HOUR;
    expect(titles((await s.get('/api/v2/announcements?status=active')).body)).toEqual(['Next']);
    expect(titles((await s.get('/api/v2/announcements?status=inactive')).body)).toEqual(['Current', 'Past']);
    now = T0;
  });

  it('limit and offset page the list, the status kept in the links', async () => {
    const first = await s.get('/api/v2/announcements?limit=2');
    expect(titles(first.body)).toEqual(['Later', 'Next']);
    expect(first.body._links.next.href).toBe('/api/v2/announcements?limit=2&offset=2');
    expect(first.body._links.last.href).toBe('/api/v2/announcements?limit=2&offset=2');
    const second = await s.get('/api/v2/announcements?limit=2&offset=2');
    expect(titles(second.body)).toEqual(['Current', 'Past']);
    expect(second.body._links.prev.href).toBe('/api/v2/announcements?limit=2&offset=0');
    const filtered = await s.get('/api/v2/announcements?status=scheduled&limit=1');
    expect(titles(filtered.body)).toEqual(['Later']);
    expect(filtered.body._links.next.href).toBe('/api/v2/announcements?status=scheduled&limit=1&offset=1');
    expect((await s.get('/api/v2/announcements?offset=10')).body.items).toEqual([]);
  });
});
