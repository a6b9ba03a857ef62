// Updating an AI tool: the members sent replace the tool's. A change to what a version defines (description, schema,
// custom parameters) makes a new version and keeps the old ones, listed by listAIToolVersions; a change of maintainer
// keeps the version; a body that changes nothing records nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchAITool, listAIToolVersions', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 2, 1);
  const tool = '/api/v2/projects/shop/ai-tools/lookup';
  const schema = { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] };
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/teams', { key: 'catalog', name: 'Catalog team' })).status).toBe(201);
    expect((await s.post('/api/v2/projects/shop/ai-tools', { key: 'lookup', description: 'Look up a product', schema, customParameters: { table: 'products' } })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('a new description makes version 2, dated when it was made; the other members are kept', async () => {
    clock += 60_000;
    const res = await s.patch(tool, { description: 'Look up a product by SKU' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ key: 'lookup', description: 'Look up a product by SKU', schema, customParameters: { table: 'products' }, version: 2, createdAt: clock });
    expect((await s.get(tool)).body).toEqual(res.body);
  });

  it('schema and custom parameters together make one version more', async () => {
    clock += 60_000;
    const next = { ...schema, properties: { ...schema.properties, locale: { type: 'string' } } };
    const res = await s.patch(tool, { schema: next, customParameters: { table: 'products_v2' } });
    expect(res.body).toMatchObject({ schema: next, customParameters: { table: 'products_v2' }, description: 'Look up a product by SKU', version: 3 });
  });

  it('a maintainer change keeps the version; "" removes the maintainer', async () => {
    const team = await s.patch(tool, { maintainerTeamKey: 'catalog' });
    expect(team.body).toMatchObject({ version: 3, _maintainer: { kind: 'team', key: 'catalog', name: 'Catalog team' } });
    const none = await s.patch(tool, { maintainerTeamKey: '' });
    expect(none.body.version).toBe(3);
    expect(none.body._maintainer).toBeUndefined();
  });

  it('tags (2026-07) replace the tool’s and keep the version; the same tags again change nothing', async () => {
    const version = (await s.get(tool)).body.version;
    const res = await s.patch(tool, { tags: ['catalog', 'lookup'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ tags: ['catalog', 'lookup'], version });
    expect((await s.get(tool)).body.tags).toEqual(['catalog', 'lookup']);
    expect(await changedBy(s.store, async () => expect((await s.patch(tool, { tags: ['catalog', 'lookup'] })).body.tags).toEqual(['catalog', 'lookup']))).toBe(false);
    // Other members sent without tags keep them.
    expect((await s.patch(tool, { maintainerTeamKey: '' })).body.tags).toEqual(['catalog', 'lookup']);
  });

  it('a body that changes nothing answers the tool and writes nothing', async () => {
    const current = (await s.get(tool)).body;
    let res: { status: number; body: unknown } | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(tool, { description: current.description, schema: current.schema })))).toBe(false);
    expect(res).toEqual({ status: 200, body: current, headers: expect.anything() });
    expect((await s.patch(tool, {})).body).toEqual(current);
  });

  it('every version is listed as it was, with the tool’s maintainer, oldest first; sorted and paged on request', async () => {
    const res = await s.get(`${tool}/versions`);
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBe(3);
    expect(res.body.items.map((v: { version: number; description: string }) => [v.version, v.description])).toEqual([
      [1, 'Look up a product'],
      [2, 'Look up a product by SKU'],
      [3, 'Look up a product by SKU'],
    ]);
    expect(res.body.items[0]).toMatchObject({ schema, customParameters: { table: 'products' }, createdAt: Date.UTC(2026, 2, 1) });
    expect(res.body._links).toEqual({ self: { href: `${tool}/versions?limit=20&offset=0`, type: 'application/json' } });
    const newest = await s.get(`${tool}/versions?sort=-version&limit=1`);
    expect(newest.body.items.map((v: { version: number }) => v.version)).toEqual([3]);
    expect(newest.body._links.next).toEqual({ href: `${tool}/versions?sort=-version&limit=1&offset=1`, type: 'application/json' });
    expect((await s.get(`${tool}/versions?sort=createdAt&offset=2`)).body.items.map((v: { version: number }) => v.version)).toEqual([3]);
  });

  it('each update is audited with the body, before and after', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:ai-tool/lookup')).body.items;
    // Created, two new versions, two maintainer changes, a change of tags; the patches that changed nothing left no entry.
    expect(entries).toHaveLength(6);
    const entry = (await s.get(`/api/v2/auditlog/${entries[entries.length - 2]._id}`)).body;
    expect(entry).toMatchObject({ kind: 'ai-tool', title: expect.stringContaining('updated the AI tool lookup') });
    expect(entry.delta).toEqual({ description: 'Look up a product by SKU' });
    expect(entry.previousVersion).toMatchObject({ version: 1 });
    expect(entry.currentVersion).toMatchObject({ version: 2 });
  });
});
