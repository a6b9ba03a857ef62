import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getEnvironmentsByProject: happy path', () => {
  let s: TestServer;
  const keysOf = (body: { items: { key: string }[] }) => body.items.map((e) => e.key).sort();
  const offsetOf = (href: string) => Number(new URL(href, 'http://x').searchParams.get('offset'));
  beforeAll(async () => {
    s = await startServer();
    const res = await s.post('/api/v2/projects', {
      name: 'P2',
      key: 'p2',
      environments: [
        { key: 'Prod-EU', name: 'Production EU', color: '417505', tags: ['ta1', 'ta2'] },
        { key: 'staging', name: 'Staging', color: '417505', tags: ['TA1'] },
        { key: 'qa', name: 'QA', color: '417505', tags: ['ta2'] },
        { key: 'dev', name: 'Dev', color: '417505' },
      ],
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => s.close());

  it('filter=tags:a+b keeps environments that have all of the tags, not any', async () => {
    const res = await s.get('/api/v2/projects/p2/environments?filter=tags:ta1%2Bta2');
    expect(res.status).toBe(200);
    expect(keysOf(res.body)).toEqual(['Prod-EU']);
    expect(res.body.totalCount).toBe(1);
    // An unencoded + arrives as a space and separates tags as well.
    expect(keysOf((await s.get('/api/v2/projects/p2/environments?filter=tags:ta1+ta2')).body)).toEqual(['Prod-EU']);
  });

  it('sorts by a comma-separated list of fields (critical first, -critical last), as the spec documents', async () => {
    for (const key of ['qa', 'dev']) expect((await s.patch(`/api/v2/projects/p2/environments/${key}`, [{ op: 'replace', path: '/critical', value: true }])).status).toBe(200);
    const order = async (sort: string) => (await s.get(`/api/v2/projects/p2/environments?sort=${sort}`)).body.items.map((e: { key: string }) => e.key);
    expect(await order('critical,name')).toEqual(['dev', 'qa', 'Prod-EU', 'staging']);
    expect(await order('-critical,-name')).toEqual(['staging', 'Prod-EU', 'qa', 'dev']);
    expect(await order('name,-createdOn')).toEqual(['dev', 'Prod-EU', 'qa', 'staging']);
    expect(await order('-createdOn')).toEqual(['dev', 'qa', 'staging', 'Prod-EU']);
    const bad = await s.get('/api/v2/projects/p2/environments?sort=name,-key');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/sort: cannot sort by "key"/);
    for (const key of ['qa', 'dev']) expect((await s.patch(`/api/v2/projects/p2/environments/${key}`, [{ op: 'replace', path: '/critical', value: false }])).status).toBe(200);
  });

  it('compares tags and query without case', async () => {
    expect(keysOf((await s.get('/api/v2/projects/p2/environments?filter=tags:Ta1')).body)).toEqual(['Prod-EU', 'staging']);
    expect(keysOf((await s.get('/api/v2/projects/p2/environments?filter=query:PROD-eu')).body)).toEqual(['Prod-EU']);
    expect(keysOf((await s.get('/api/v2/projects/p2/environments?filter=query:stAGing,tags:ta1')).body)).toEqual(['staging']);
  });

  it('links `last` to the page that following `next` lands on when offset is not a multiple of limit', async () => {
    const res = await s.get('/api/v2/projects/p2/environments?limit=2&offset=1');
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBe(4);
    expect(res.body.items).toHaveLength(2);
    expect(offsetOf(res.body._links.next.href)).toBe(3);
    expect(offsetOf(res.body._links.last.href)).toBe(3);
    expect(offsetOf(res.body._links.first.href)).toBe(0);
    expect(offsetOf(res.body._links.prev.href)).toBe(0);
    const last = await s.get(res.body._links.next.href);
    expect(last.status).toBe(200);
    expect(last.body.items).toHaveLength(1);
    expect(last.body._links.next).toBeUndefined();
    expect(last.body._links.last).toBeUndefined();
  });

  it('keeps `last` on the multiples of limit when offset is one', async () => {
    const res = await s.get('/api/v2/projects/p2/environments?limit=3&offset=0');
    expect(offsetOf(res.body._links.next.href)).toBe(3);
    expect(offsetOf(res.body._links.last.href)).toBe(3);
  });
});
