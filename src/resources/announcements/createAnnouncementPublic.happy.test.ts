// createAnnouncementPublic: 201 with the AnnouncementResponse, its status by the clock (scheduled, active, inactive),
// audited; an announcement without endTime is shown until it is given one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = 1_731_439_800_000;

describe('createAnnouncementPublic', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
  });
  afterAll(() => s.close());

  it("the spec's example body: 201 with every field; active between its start and end", async () => {
    const body = { severity: 'warning', startTime: NOW - 60_000, isDismissible: true, endTime: NOW + 60_000, title: 'System Maintenance Notice', message: '**Important Update:** maintenance tonight' };
    const res = await s.post('/api/v2/announcements', body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ _id: expect.stringMatching(/^[0-9a-f]{24}$/), ...body, _status: 'active', _links: { parent: { href: '/api/v2/announcements', type: 'application/json' } } });
    const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`announcement/${res.body._id}`)}`)).body.items[0];
    expect(entry).toMatchObject({ kind: 'announcement', name: 'System Maintenance Notice' });
  });

  it('scheduled before its start; inactive from its end; no endTime: open-ended', async () => {
    const later = await s.post('/api/v2/announcements', { severity: 'info', startTime: NOW + 3_600_000, endTime: NOW + 7_200_000, isDismissible: false, title: 'Code freeze', message: 'Freeze starts in an hour' });
    expect(later.body._status).toBe('scheduled');
    const past = await s.post('/api/v2/announcements', { severity: 'critical', startTime: NOW - 7_200_000, endTime: NOW - 3_600_000, isDismissible: true, title: 'Outage', message: 'Resolved' });
    expect(past.body._status).toBe('inactive');
    const open = await s.post('/api/v2/announcements', { severity: 'info', startTime: NOW + 10_000_000, isDismissible: true, title: 'Holidays', message: 'Happy holidays' });
    expect(open.status).toBe(201);
    expect(open.body).not.toHaveProperty('endTime');
    expect(open.body._status).toBe('scheduled');
  });
});
