// Flag links (beta): a URL linked to a flag with createFlagLink (201, LaunchDarkly's example body), listed most recent
// first, patched, and deleted by id or key; each change audited as a change of the flag; links go with their flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const LINKS = '/api/v2/flag-links/projects/shop/flags/checkout';

describe('Flag links', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 11, 5, 12);
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it("201 with the FlagLinkRep for LaunchDarkly's example body: the time in four forms, the member who made it", async () => {
    const res = await s.post(LINKS, { deepLink: 'https://example.com/archives/123123123', description: 'Example link description', key: 'flag-link-key-123abc', title: 'Example link title' }, BETA);
    expect(res.status).toBe(201);
    const me = (await s.get('/api/v2/members/me')).body;
    expect(res.body).toEqual({
      _links: { parent: { href: LINKS, type: 'application/json' } },
      _key: 'flag-link-key-123abc',
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _deepLink: 'https://example.com/archives/123123123',
      _timestamp: { milliseconds: clock, seconds: clock / 1000, rfc3339: '2026-12-05T12:00:00Z', simple: '2026-12-05 12:00:00' },
      title: 'Example link title',
      description: 'Example link description',
      _createdAt: clock,
      _member: { _links: { self: { href: `/api/v2/members/${me._id}`, type: 'application/json' } }, _id: me._id, ...(me.firstName ? { firstName: me.firstName } : {}), ...(me.lastName ? { lastName: me.lastName } : {}) },
    });
    const entry = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(full).toMatchObject({ kind: 'flag', name: 'Checkout', accesses: [{ action: 'createFlagLink', resource: 'proj/shop:env/*:flag/checkout' }] });
  });

  it('listed most recent timestamp first; a timestamp given is kept; a link without key or title', async () => {
    clock += 1000;
    const older = (await s.post(LINKS, { deepLink: 'https://example.com/older', timestamp: Date.UTC(2020, 0, 1) }, BETA)).body;
    expect(older).not.toHaveProperty('_key');
    expect(older).not.toHaveProperty('title');
    expect(older._timestamp.milliseconds).toBe(Date.UTC(2020, 0, 1));
    expect(older._createdAt).toBe(clock);
    const list = await s.get(LINKS, BETA);
    expect(list.status).toBe(200);
    expect(list.body._links).toEqual({ self: { href: LINKS, type: 'application/json' } });
    expect(list.body.items.map((l: { _deepLink: string }) => l._deepLink)).toEqual(['https://example.com/archives/123123123', 'https://example.com/older']);
  });

  it('PATCH by id: title, description and the URL change; a patch that changes nothing is not audited', async () => {
    const made = (await s.post(LINKS, { deepLink: 'https://example.com/a', key: 'patched', title: 'Before' }, BETA)).body;
    const res = await s.patch(`${LINKS}/${made._id}`, [
      { op: 'replace', path: '/title', value: 'Updated flag link title' },
      { op: 'add', path: '/description', value: 'now described' },
      { op: 'replace', path: '/_deepLink', value: 'https://example.com/b' },
    ], BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...made, title: 'Updated flag link title', description: 'now described', _deepLink: 'https://example.com/b' });
    const entries = (await s.get('/api/v2/auditlog?limit=50')).body.items.length;
    const same = await s.patch(`${LINKS}/patched`, { patch: [{ op: 'replace', path: '/title', value: 'Updated flag link title' }], comment: 'same' }, BETA);
    expect(same.status).toBe(200);
    expect((await s.get('/api/v2/auditlog?limit=50')).body.items.length).toBe(entries);
    const removed = await s.patch(`${LINKS}/patched`, [{ op: 'remove', path: '/description' }], BETA);
    expect(removed.body).not.toHaveProperty('description');
  });

  it('DELETE by key or by id: 204, then gone; a flag deleted takes its links with it', async () => {
    const byKey = (await s.post(LINKS, { deepLink: 'https://example.com/k', key: 'doomed' }, BETA)).body;
    expect((await s.del(`${LINKS}/doomed`, BETA)).status).toBe(204);
    const byId = (await s.post(LINKS, { deepLink: 'https://example.com/i' }, BETA)).body;
    expect((await s.del(`${LINKS}/${byId._id}`, BETA)).status).toBe(204);
    const ids = (await s.get(LINKS, BETA)).body.items.map((l: { _id: string }) => l._id);
    expect(ids).not.toContain(byKey._id);
    expect(ids).not.toContain(byId._id);
    // A key freed by a deletion may be used again.
    expect((await s.post(LINKS, { deepLink: 'https://example.com/k2', key: 'doomed' }, BETA)).status).toBe(201);

    expect((await s.post('/api/v2/flags/shop', { key: 'temporary', name: 'Temporary' })).status).toBe(201);
    expect((await s.post('/api/v2/flag-links/projects/shop/flags/temporary', { deepLink: 'https://example.com/t' }, BETA)).status).toBe(201);
    expect((await s.del('/api/v2/flags/shop/temporary')).status).toBe(204);
    expect(await s.store.db.selectFrom('flag_links').select('id').where('doc', 'like', '%example.com/t"%').execute()).toEqual([]);
  });
});
