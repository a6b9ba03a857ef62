import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getProjects: happy path', () => {
  let s: TestServer;
  const keysOf = (body: { items: { key: string }[] }) => body.items.map((p) => p.key).sort();
  beforeAll(async () => {
    s = await startServer();
    for (const [key, tags] of [
      ['Alpha-One', ['ta1', 'ta2']],
      ['beta-two', ['TA1']],
      ['gamma-three', ['ta2']],
    ] as const) {
      expect((await s.post('/api/v2/projects', { name: key.toUpperCase(), key, tags })).status).toBe(201);
    }
  });
  afterAll(() => s.close());

  it('filter=tags:a+b keeps projects that have all of the tags, not any', async () => {
    const res = await s.get('/api/v2/projects?filter=tags:ta1%2Bta2');
    expect(res.status).toBe(200);
    expect(keysOf(res.body)).toEqual(['Alpha-One']);
    expect(res.body.totalCount).toBe(1);
  });

  it('sorts by a comma-separated list of fields, as the spec documents', async () => {
    const mine = ['Alpha-One', 'beta-two', 'gamma-three'];
    const order = async (sort: string) => (await s.get(`/api/v2/projects?sort=${sort}`)).body.items.map((p: { key: string }) => p.key).filter((key: string) => mine.includes(key));
    expect(await order('-name,createdOn')).toEqual(['gamma-three', 'beta-two', 'Alpha-One']);
    expect(await order('-createdOn,name')).toEqual(['gamma-three', 'beta-two', 'Alpha-One']);
    expect(await order('name')).toEqual(mine);
    const bad = await s.get('/api/v2/projects?sort=name,-key');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/sort: cannot sort by "key"/);
  });

  it('takes an unencoded + (a space on arrival) between tags too', async () => {
    const res = await s.get('/api/v2/projects?filter=tags:ta1+ta2');
    expect(res.status).toBe(200);
    expect(keysOf(res.body)).toEqual(['Alpha-One']);
  });

  it('compares tags without case', async () => {
    const res = await s.get('/api/v2/projects?filter=tags:Ta1');
    expect(res.status).toBe(200);
    expect(keysOf(res.body)).toEqual(['Alpha-One', 'beta-two']);
  });

  it('compares keys without case, and keeps projects with any of them', async () => {
    const res = await s.get('/api/v2/projects?filter=keys:alpha-one|BETA-TWO');
    expect(res.status).toBe(200);
    expect(keysOf(res.body)).toEqual(['Alpha-One', 'beta-two']);
  });

  it('compares query with names and keys without case', async () => {
    const res = await s.get('/api/v2/projects?filter=query:ALPHA');
    expect(res.status).toBe(200);
    expect(keysOf(res.body)).toEqual(['Alpha-One']);
    expect(keysOf((await s.get('/api/v2/projects?filter=query:three')).body)).toEqual(['gamma-three']);
  });

  it('combines the fields: query and all of the tags', async () => {
    const res = await s.get('/api/v2/projects?filter=query:a,tags:TA2');
    expect(res.status).toBe(200);
    expect(keysOf(res.body)).toEqual(['Alpha-One', 'gamma-three']);
  });
});
