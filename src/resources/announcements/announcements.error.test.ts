// Announcements: every error a caller can cause is a 4xx naming the field, and changes nothing; one banner at a time
// (an overlapping window is a 409 naming the announcement it meets).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = 1_731_439_800_000;
const HOUR = 3_600_000;

describe('announcements: errors', () => {
  let s: TestServer;
  let id: string;
  const body = { title: 'Maintenance', message: 'Tonight', severity: 'info', isDismissible: true, startTime: NOW, endTime: NOW + HOUR };
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    id = (await s.post('/api/v2/announcements', body)).body._id;
  });
  afterAll(() => s.close());

  it('a missing or wrong field is a 400 naming it', async () => {
    for (const field of ['title', 'message', 'severity', 'isDismissible', 'startTime']) {
      const { [field as keyof typeof body]: _gone, ...rest } = body;
      await expectRefused(s.store, () => s.post('/api/v2/announcements', { ...rest, startTime: NOW + 10 * HOUR, endTime: NOW + 11 * HOUR, ...(field === 'startTime' ? { startTime: undefined } : {}) }), 400, 'invalid_request', new RegExp(field));
    }
    const later = { ...body, startTime: NOW + 10 * HOUR, endTime: NOW + 11 * HOUR };
    await expectRefused(s.store, () => s.post('/api/v2/announcements', { ...later, severity: 'urgent' }), 400, 'invalid_request', /severity/);
    await expectRefused(s.store, () => s.post('/api/v2/announcements', { ...later, startTime: 'tomorrow' }), 400, 'invalid_request', /startTime/);
    await expectRefused(s.store, () => s.post('/api/v2/announcements', { ...later, endTime: 1.5 }), 400, 'invalid_request', /endTime/);
    await expectRefused(s.store, () => s.post('/api/v2/announcements', { ...later, title: '' }), 400, 'invalid_request', /title/);
    await expectRefused(s.store, () => s.post('/api/v2/announcements', { ...later, color: 'red' }), 400, 'invalid_request', /color/);
    await expectRefused(s.store, () => s.post('/api/v2/announcements', { ...later, endTime: later.startTime }), 400, 'invalid_request', /endTime: must be after startTime/);
  });

  it('a window that overlaps another announcement is a 409 naming it; back to back is fine', async () => {
    const clash = new RegExp(`Announcement "${id}" is shown from ${NOW} until ${NOW + HOUR}`);
    await expectRefused(s.store, () => s.post('/api/v2/announcements', { ...body, startTime: NOW + HOUR / 2, endTime: NOW + 2 * HOUR }), 409, 'conflict', clash);
    await expectRefused(s.store, () => s.post('/api/v2/announcements', { ...body, startTime: NOW - HOUR, endTime: undefined }), 409, 'conflict', clash);
    const next = await s.post('/api/v2/announcements', { ...body, startTime: NOW + HOUR, endTime: NOW + 2 * HOUR });
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${next.body._id}`, [{ op: 'replace', path: '/startTime', value: NOW + HOUR / 2 }]), 409, 'conflict', clash);
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${id}`, [{ op: 'remove', path: '/endTime' }]), 409, 'conflict', new RegExp(`Announcement "${next.body._id}"`));
  });

  it('a bad status, limit or offset is a 400 naming it', async () => {
    await expectRefused(s.store, () => s.get('/api/v2/announcements?status=live'), 400, 'invalid_request', /status: must be one of active, inactive, scheduled/);
    await expectRefused(s.store, () => s.get('/api/v2/announcements?limit=0'), 400, 'invalid_request', /limit/);
    await expectRefused(s.store, () => s.get('/api/v2/announcements?offset=-1'), 400, 'invalid_request', /offset/);
  });

  it('a patch of a read-only field, a wrong value or a malformed patch is a 400 naming it; a failed test a 409', async () => {
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${id}`, [{ op: 'replace', path: '/_status', value: 'inactive' }]), 400, 'invalid_request', /\/_status: is read-only/);
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${id}`, [{ op: 'replace', path: '/_id', value: 'x' }]), 400, 'invalid_request', /_id/);
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${id}`, [{ op: 'replace', path: '/severity', value: 'loud' }]), 400, 'invalid_request', /severity/);
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${id}`, [{ op: 'remove', path: '/title' }]), 400, 'invalid_request', /title/);
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${id}`, [{ op: 'replace', path: '/endTime', value: NOW - 1 }]), 400, 'invalid_request', /endTime: must be after startTime/);
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${id}`, [{ op: 'replace', path: '/color', value: 'red' }]), 400, 'invalid_request', /color/);
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${id}`, { comment: 'not a patch' }), 400, 'invalid_request', /patch/);
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${id}`, [{ op: 'test', path: '/title', value: 'Other' }]), 409, 'optimistic_locking_error');
  });

  it('an unknown announcement is a 404 naming it', async () => {
    for (const send of [() => s.patch('/api/v2/announcements/nope', [{ op: 'replace', path: '/title', value: 'X' }]), () => s.del('/api/v2/announcements/nope')]) {
      await expectRefused(s.store, send, 404, 'not_found', 'Announcement "nope" not found');
    }
  });
});
