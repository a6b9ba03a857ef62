// updateAnnouncementPublic: a JSON Patch of the announcement's fields: 200 with it, its status recomputed; removing
// endTime makes it open-ended; a patch that changes nothing records nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = 1_731_439_800_000;

describe('updateAnnouncementPublic', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    id = (await s.post('/api/v2/announcements', { title: 'Maintenance', message: 'Tonight', severity: 'info', isDismissible: true, startTime: NOW + 60_000, endTime: NOW + 120_000 })).body._id;
  });
  afterAll(() => s.close());

  it('replaces fields; moving the start back makes it active', async () => {
    const res = await s.patch(`/api/v2/announcements/${id}`, [
      { op: 'replace', path: '/title', value: 'Maintenance moved' },
      { op: 'replace', path: '/severity', value: 'critical' },
      { op: 'replace', path: '/isDismissible', value: false },
      { op: 'replace', path: '/startTime', value: NOW - 60_000 },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _id: id, title: 'Maintenance moved', message: 'Tonight', severity: 'critical', isDismissible: false, startTime: NOW - 60_000, endTime: NOW + 120_000, _status: 'active' });
    expect((await s.get('/api/v2/announcements')).body.items[0]).toEqual(res.body);
  });

  it('removing endTime leaves it open-ended; with a comment; audited', async () => {
    const res = await s.patch(`/api/v2/announcements/${id}`, { comment: 'until further notice', patch: [{ op: 'remove', path: '/endTime' }] });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('endTime');
    const entries = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`announcement/${id}`)}`)).body.items;
    expect(entries.length).toBe(3);
  });

  it('a patch that sets what is there changes nothing', async () => {
    let res: { status: number } | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(`/api/v2/announcements/${id}`, [{ op: 'test', path: '/_status', value: 'active' }, { op: 'replace', path: '/message', value: 'Tonight' }])))).toBe(false);
    expect(res!.status).toBe(200);
  });
});
