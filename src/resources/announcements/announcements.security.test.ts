// Who may see and change announcements: every valid token reads them (the banner is shown to everyone); admins
// create, change and delete them; a custom role needs createAnnouncement, updateAnnouncement or deleteAnnouncement on
// `acct` (iterlab's names: LaunchDarkly documents none).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAdminOnly, expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = 1_731_439_800_000;

describe('announcements: security', () => {
  let s: TestServer;
  let id: string;
  let start = NOW + 1_000_000;
  const fresh = () => ({ title: 'New', message: 'New', severity: 'info', isDismissible: true, startTime: (start += 10_000), endTime: start + 1000 });
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    id = (await s.post('/api/v2/announcements', { title: 'Banner', message: 'Hello', severity: 'info', isDismissible: true, startTime: NOW, endTime: NOW + 1000 })).body._id;
  });
  afterAll(() => s.close());

  it('401 without a valid token; every role reads', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) await expectRefused(s.store, () => s.get('/api/v2/announcements', { token }), 401, 'unauthorized');
    for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) expect((await s.get('/api/v2/announcements', { token })).status).toBe(200);
  });

  it('writes are for admins: readers and writers 403, nothing changed', async () => {
    await expectAdminOnly(s, (token) => s.post('/api/v2/announcements', fresh(), { token }));
    await expectAdminOnly(s, (token) => s.patch(`/api/v2/announcements/${id}`, [{ op: 'replace', path: '/title', value: 'X' }], { token }));
    await expectAdminOnly(s, (token) => s.del(`/api/v2/announcements/${id}`, { token }));
  });

  it('custom roles: reading needs nothing; each write its action on acct', async () => {
    const role = async (actions: string[]) => (await s.post('/api/v2/tokens', { name: actions.join() || 'none', inlineRole: [{ effect: 'allow', resources: ['acct'], actions }] })).body.token as string;
    const creator = await role(['createAnnouncement']);
    expect((await s.get('/api/v2/announcements', { token: creator })).status).toBe(200);
    const made = await s.post('/api/v2/announcements', fresh(), { token: creator });
    expect(made.status).toBe(201);
    await expectRefused(s.store, () => s.patch(`/api/v2/announcements/${made.body._id}`, [{ op: 'replace', path: '/title', value: 'X' }], { token: creator }), 403, 'forbidden', /updateAnnouncement on acct/);
    await expectRefused(s.store, () => s.del(`/api/v2/announcements/${made.body._id}`, { token: creator }), 403, 'forbidden', /deleteAnnouncement on acct/);
    expect((await s.patch(`/api/v2/announcements/${made.body._id}`, [{ op: 'replace', path: '/title', value: 'X' }], { token: await role(['updateAnnouncement']) })).status).toBe(200);
    expect((await s.del(`/api/v2/announcements/${made.body._id}`, { token: await role(['deleteAnnouncement']) })).status).toBe(204);
    const projects = (await s.post('/api/v2/tokens', { name: 'projects', inlineRole: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body.token;
    await expectRefused(s.store, () => s.post('/api/v2/announcements', fresh(), { token: projects }), 403, 'forbidden');
  });
});
