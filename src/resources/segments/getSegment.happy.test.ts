import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getSegment: happy path', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production';
  const flagUse = (key: string, name: string) => ({
    name,
    key,
    _links: { self: { href: `/api/v2/flags/shop/${key}`, type: 'application/json' } },
    _site: { href: `/shop/production/features/${key}`, type: 'text/html' },
  });
  /** Adds a rule to the flag's targeting in the environment, matching on the segments given. */
  const targetSegments = async (flagKey: string, segmentKeys: string[], environmentKey = 'production', negate = false) => {
    const res = await s.patch(`/api/v2/flags/shop/${flagKey}`, [
      {
        op: 'add',
        path: `/environments/${environmentKey}/rules/-`,
        value: { variation: 0, clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: segmentKeys, negate }] },
      },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const flags = async (segmentKey: string) => (await s.get(`${path}/${segmentKey}`)).body._flags;

  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('200 with the segment and its links; no flag targets it yet', async () => {
    const created = await s.post(path, { name: 'Beta', key: 'beta', description: 'Opted in', tags: ['beta'] });
    const res = await s.get(`${path}/beta`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, _flags: [] });
    expect(res.body._links).toEqual({
      parent: { href: '/api/v2/segments/shop/production', type: 'application/json' },
      self: { href: '/api/v2/segments/shop/production/beta', type: 'application/json' },
      site: { href: '/shop/production/segments/beta', type: 'text/html' },
    });
  });

  it('shows the segment as the latest patch left it', async () => {
    await s.post(path, { name: 'Patched', key: 'patched' });
    const patched = await s.patch(`${path}/patched`, [
      { op: 'replace', path: '/included', value: ['u1'] },
      { op: 'add', path: '/rules/-', value: { clauses: [{ attribute: 'email', op: 'endsWith', values: ['.edu'] }] } },
    ]);
    const res = await s.get(`${path}/patched`);
    expect(res.body).toEqual({ ...patched.body, _flags: [] });
    expect(res.body.version).toBe(2);
    expect(res.body.included).toEqual(['u1']);
  });

  it('_flags lists a flag once a rule of its targeting in this environment matches on the segment', async () => {
    await s.post(path, { name: 'Staff', key: 'staff' });
    await s.post('/api/v2/flags/shop', { name: 'New checkout', key: 'new-checkout' });
    await targetSegments('new-checkout', ['staff']);
    expect(await flags('staff')).toEqual([flagUse('new-checkout', 'New checkout')]);
  });

  it('a flag is listed once however many of its clauses name the segment, flags in key order, negated clauses too', async () => {
    await s.post(path, { name: 'Shared', key: 'shared' });
    await s.post(path, { name: 'Other', key: 'other' });
    await s.post('/api/v2/flags/shop', { name: 'Zebra', key: 'zebra' });
    await s.post('/api/v2/flags/shop', { name: 'Apple', key: 'apple' });
    await targetSegments('zebra', ['shared']);
    await targetSegments('zebra', ['other', 'shared']);
    await targetSegments('apple', ['shared'], 'production', true);
    expect(await flags('shared')).toEqual([flagUse('apple', 'Apple'), flagUse('zebra', 'Zebra')]);
    expect(await flags('other')).toEqual([flagUse('zebra', 'Zebra')]);
  });

  it('a rule in another environment, or naming a segment whose key merely contains this one, does not count', async () => {
    await s.post(path, { name: 'Gold', key: 'gold' });
    await s.post(path, { name: 'Gold plus', key: 'gold-plus' });
    await s.post('/api/v2/segments/shop/test', { name: 'Gold (test)', key: 'gold' });
    await s.post('/api/v2/flags/shop', { name: 'Perks', key: 'perks' });
    await targetSegments('perks', ['gold'], 'test');
    await targetSegments('perks', ['gold-plus']);
    expect(await flags('gold')).toEqual([]);
    expect(await flags('gold-plus')).toEqual([flagUse('perks', 'Perks')]);
    expect((await s.get('/api/v2/segments/shop/test/gold')).body._flags).toEqual([
      { ...flagUse('perks', 'Perks'), _site: { href: '/shop/test/features/perks', type: 'text/html' } },
    ]);
  });

  it('the flag leaves _flags when its rule is removed, or when the flag is deleted', async () => {
    await s.post(path, { name: 'Temp', key: 'temp' });
    await s.post('/api/v2/flags/shop', { name: 'Short lived', key: 'short-lived' });
    await s.post('/api/v2/flags/shop', { name: 'Gone soon', key: 'gone-soon' });
    await targetSegments('short-lived', ['temp']);
    await targetSegments('gone-soon', ['temp']);
    expect((await flags('temp')).map((f: { key: string }) => f.key)).toEqual(['gone-soon', 'short-lived']);
    expect((await s.patch('/api/v2/flags/shop/short-lived', [{ op: 'remove', path: '/environments/production/rules/0' }])).status).toBe(200);
    expect((await flags('temp')).map((f: { key: string }) => f.key)).toEqual(['gone-soon']);
    expect((await s.del('/api/v2/flags/shop/gone-soon')).status).toBe(204);
    expect(await flags('temp')).toEqual([]);
  });

  it('a reader token sees _flags too', async () => {
    const res = await s.get(`${path}/staff`, { token: s.tokens.reader });
    expect(res.status).toBe(200);
    expect(res.body._flags.map((f: { key: string }) => f.key)).toEqual(['new-checkout']);
  });
});
