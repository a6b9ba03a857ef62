import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postSegment: happy path', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  const path = '/api/v2/segments/shop/production';
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('201 with the segment as UserSegment: no targets, no rules, version 1, standard (not unbounded)', async () => {
    clock += 1000;
    const res = await s.post(path, { name: 'Beta testers', key: 'beta', description: 'People who opted in', tags: ['beta', 'qa'] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      name: 'Beta testers',
      description: 'People who opted in',
      tags: ['beta', 'qa'],
      included: [],
      excluded: [],
      includedContexts: [],
      excludedContexts: [],
      rules: [],
      key: 'beta',
      creationDate: clock,
      lastModifiedDate: clock,
      version: 1,
      deleted: false,
      generation: 1,
      unbounded: false,
      _links: {
        parent: { href: '/api/v2/segments/shop/production', type: 'application/json' },
        self: { href: '/api/v2/segments/shop/production/beta', type: 'application/json' },
        site: { href: '/shop/production/segments/beta', type: 'text/html' },
      },
    });
    expect(res.body).not.toHaveProperty('_flags');
    expect(res.body).not.toHaveProperty('salt');
  });

  it('what GET returns afterwards is what the create answered, plus the (empty) _flags', async () => {
    const created = await s.post(path, { name: 'Readback', key: 'readback', tags: ['x'] });
    const got = await s.get(`${path}/readback`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...created.body, _flags: [] });
  });

  it('only name and key are required: tags default to [], and there is no description', async () => {
    const res = await s.post(path, { name: 'Minimal', key: 'minimal' });
    expect(res.status).toBe(201);
    expect(res.body.tags).toEqual([]);
    expect(res.body).not.toHaveProperty('description');
  });

  it('unbounded: false asks for a standard segment, which is what iterlab makes', async () => {
    const res = await s.post(path, { name: 'Standard', key: 'standard', unbounded: false });
    expect(res.status).toBe(201);
    expect(res.body.unbounded).toBe(false);
  });

  it('keys may hold letters, digits, ".", "_" and "-"', async () => {
    const res = await s.post(path, { name: 'Odd key', key: 'Seg_1.v-2' });
    expect(res.status).toBe(201);
    expect(res.body._links.self.href).toBe('/api/v2/segments/shop/production/Seg_1.v-2');
    expect((await s.get(`${path}/Seg_1.v-2`)).status).toBe(200);
  });

  it('a tag given twice is kept once, and a patch that changes nothing then leaves version 1', async () => {
    const res = await s.post(path, { name: 'Twice', key: 'twice', tags: ['a', 'a', 'b'] });
    expect(res.body.tags).toEqual(['a', 'b']);
    const same = await s.patch(`${path}/twice`, [{ op: 'replace', path: '/name', value: 'Twice' }]);
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(1);
    expect(same.body.lastModifiedDate).toBe(res.body.lastModifiedDate);
  });

  it("`viewKeys` (Terraform's view_keys) links the new segment to those views, each link audited on its view", async () => {
    const beta = { headers: { 'LD-API-Version': 'beta' } };
    const me = (await s.get('/api/v2/members/me')).body._id;
    for (const key of ['ops', 'web']) expect((await s.post('/api/v2/projects/shop/views', { key, name: key, maintainerId: me }, beta)).status).toBe(200);
    const res = await s.post(path, { name: 'In views', key: 'in-views', description: '', tags: [], unbounded: false, unboundedContextKind: '', viewKeys: ['ops', 'web', 'ops'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const envId = (await s.get('/api/v2/projects/shop/environments/production')).body._id;
    const linked = await s.get(`/api/v2/projects/shop/view-associations/segments/in-views?environmentId=${envId}`, beta);
    expect(linked.body.items.map((v: { key: string }) => v.key).sort()).toEqual(['ops', 'web']);
    const entries = await s.store.db.selectFrom('audit_log').select('resource').where('resource', 'like', 'proj/shop:view/%').execute();
    expect(entries.map((e) => e.resource).sort()).toEqual(expect.arrayContaining(['proj/shop:view/ops', 'proj/shop:view/web']));
  });

  it('the creation is audited as createSegment on the segment of that environment', async () => {
    await s.post(path, { name: 'Audited', key: 'audited', tags: ['t'] });
    const entry = await s.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('resource', '=', 'proj/shop:env/production:segment/audited')
      .orderBy('date', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.kind).toBe('segment');
    expect(entry.project_key).toBe('shop');
    const doc = JSON.parse(entry.doc);
    expect(doc.action).toBe('createSegment');
    expect(doc.name).toBe('Audited');
    expect(doc.after).toMatchObject({ name: 'Audited', tags: ['t'], version: 1, included: [], rules: [] });
    // The entry shows the segment as the API does: its links, and not its salt.
    expect(doc.after._links.self.href).toBe('/api/v2/segments/shop/production/audited');
    expect(doc.after).not.toHaveProperty('salt');
  });

  it('the same key in the other environment is a separate segment', async () => {
    await s.post(path, { name: 'Prod one', key: 'both' });
    const res = await s.post('/api/v2/segments/shop/test', { name: 'Test one', key: 'both' });
    expect(res.status).toBe(201);
    expect(res.body._links.self.href).toBe('/api/v2/segments/shop/test/both');
    expect((await s.get(`${path}/both`)).body.name).toBe('Prod one');
    expect((await s.get('/api/v2/segments/shop/test/both')).body.name).toBe('Test one');
  });

  it('viewKeys (as Terraform sends them) links the new segment to those views; a project may require one', async () => {
    const beta = { headers: { 'LD-API-Version': 'beta' } };
    expect((await s.post('/api/v2/projects/shop/views', { key: 'team-a', name: 'Team A' }, beta)).status).toBe(200);
    await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/requireViewAssociationForNewSegments', value: true }]);
    const res = await s.post(path, { name: 'Viewed', key: 'viewed', viewKeys: ['team-a'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const linked = await s.get('/api/v2/projects/shop/views/team-a/linked/segments', beta);
    expect(linked.body.items.map((r: { resourceKey: string }) => r.resourceKey)).toEqual(['viewed']);
  });
});
