import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const pause = () => new Promise((resolve) => setTimeout(resolve, 3));

describe('getAllHoldouts: happy path', () => {
  let s: TestServer;
  let w: World;
  const holdouts = (env = 'production') => `/api/v2/projects/${w.project}/environments/${env}/holdouts`;
  const link = (href: string) => ({ href, type: 'application/json' });
  async function create(key: string, env = 'production'): Promise<any> {
    await pause(); // distinct creation times: the list is oldest first
    const res = await s.post(holdouts(env), { name: `Holdout ${key}`, key, holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('an environment without holdouts has an empty collection', async () => {
    const res = await s.get(holdouts(), BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], _links: { self: link(`${holdouts()}?limit=20&offset=0`) }, total_count: 0 });
  });

  it("lists the environment's holdouts oldest first as SimpleHoldoutRep, with the experiments in each", async () => {
    const alpha = await create('alpha');
    const beta = await create('beta');
    await create('elsewhere', 'test');
    const version = await flagVersion(s, w.project, w.flag);
    const member = await s.post(experimentsPath(w), { name: 'Button', key: 'button', holdoutId: beta._id, iteration: iterationBody({ ...w, version }) });
    expect(member.status, JSON.stringify(member.body)).toBe(201);

    const res = await s.get(holdouts(), BETA);
    expect(res.status).toBe(200);
    expect(res.body.total_count).toBe(2);
    const after = (await s.get(`${holdouts()}/beta`, BETA)).body;
    expect(res.body.items).toEqual([
      { _id: alpha._id, key: 'alpha', name: 'Holdout alpha', status: 'created', createdAt: alpha.createdAt, updatedAt: alpha.updatedAt, experiments: [] },
      {
        _id: beta._id,
        key: 'beta',
        name: 'Holdout beta',
        status: 'enabled',
        createdAt: beta.createdAt,
        updatedAt: after.updatedAt,
        experiments: [{ key: 'button', name: 'Button', environment: 'production' }],
      },
    ]);
    expect(res.body._links).toEqual({ self: link(`${holdouts()}?limit=20&offset=0`) });

    const test = await s.get(holdouts('test'), BETA);
    expect(test.body.items.map((h: any) => h.key)).toEqual(['elsewhere']);
    expect(test.body.total_count).toBe(1);
  });

  it('shows what patches change: the name, and the status once ended', async () => {
    const patched = await s.patch(`${holdouts()}/alpha`, { instructions: [{ kind: 'updateName', value: 'Renamed alpha' }, { kind: 'endHoldout' }] }, BETA);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const item = (await s.get(holdouts(), BETA)).body.items.find((h: any) => h.key === 'alpha');
    expect(item).toMatchObject({ name: 'Renamed alpha', status: 'ended', updatedAt: patched.body.updatedAt });
  });

  it('pages with limit and offset: total_count and first/prev/next/last links', async () => {
    for (const key of ['p1', 'p2', 'p3']) await create(key);
    const all = ['alpha', 'beta', 'p1', 'p2', 'p3'];
    const page = async (query: string) => {
      const res = await s.get(`${holdouts()}?${query}`, BETA);
      expect(res.status).toBe(200);
      expect(res.body.total_count).toBe(5);
      return res.body;
    };
    const first = await page('limit=2');
    expect(first.items.map((h: any) => h.key)).toEqual(all.slice(0, 2));
    expect(first._links).toEqual({ self: link(`${holdouts()}?limit=2&offset=0`), next: link(`${holdouts()}?limit=2&offset=2`), last: link(`${holdouts()}?limit=2&offset=4`) });

    const middle = await page('limit=2&offset=2');
    expect(middle.items.map((h: any) => h.key)).toEqual(all.slice(2, 4));
    expect(middle._links).toEqual({
      self: link(`${holdouts()}?limit=2&offset=2`),
      first: link(`${holdouts()}?limit=2&offset=0`),
      prev: link(`${holdouts()}?limit=2&offset=0`),
      next: link(`${holdouts()}?limit=2&offset=4`),
      last: link(`${holdouts()}?limit=2&offset=4`),
    });

    const last = await page('limit=2&offset=4');
    expect(last.items.map((h: any) => h.key)).toEqual(['p3']);
    expect(last._links).toEqual({ self: link(`${holdouts()}?limit=2&offset=4`), first: link(`${holdouts()}?limit=2&offset=0`), prev: link(`${holdouts()}?limit=2&offset=2`) });

    const beyond = await page('limit=2&offset=10');
    expect(beyond.items).toEqual([]);
    // Past the end, prev is the last page there is.
    expect(beyond._links).toEqual({ self: link(`${holdouts()}?limit=2&offset=10`), first: link(`${holdouts()}?limit=2&offset=0`), prev: link(`${holdouts()}?limit=2&offset=4`) });

    const offsetOnly = await page('offset=3');
    expect(offsetOnly.items.map((h: any) => h.key)).toEqual(all.slice(3));
    expect(offsetOnly._links.self).toEqual(link(`${holdouts()}?limit=20&offset=3`));

    // Following next from the first page visits every holdout once.
    const seen: string[] = [];
    let href: string | undefined = `${holdouts()}?limit=2`;
    while (href) {
      const body: any = (await s.get(href, BETA)).body;
      seen.push(...body.items.map((h: any) => h.key));
      href = body._links.next?.href;
    }
    expect(seen).toEqual(all);
  });

  it('20 a page by default', async () => {
    const keys: string[] = ['elsewhere'];
    for (let i = 1; i <= 21; i++) {
      const key = `bulk-${String(i).padStart(2, '0')}`;
      await create(key, 'test');
      keys.push(key);
    }
    const res = await s.get(holdouts('test'), BETA);
    expect(res.body.total_count).toBe(22);
    expect(res.body.items.map((h: any) => h.key)).toEqual(keys.slice(0, 20));
    expect(res.body._links).toEqual({
      self: link(`${holdouts('test')}?limit=20&offset=0`),
      next: link(`${holdouts('test')}?limit=20&offset=20`),
      last: link(`${holdouts('test')}?limit=20&offset=20`),
    });
    const rest = await s.get(res.body._links.next.href, BETA);
    expect(rest.body.items.map((h: any) => h.key)).toEqual(keys.slice(20));
    const big = await s.get(`${holdouts('test')}?limit=100`, BETA);
    expect(big.body.items).toHaveLength(22);
    expect(big.body._links).toEqual({ self: link(`${holdouts('test')}?limit=100&offset=0`) });
  });

  it('a reader may list', async () => {
    const res = await s.get(holdouts(), { ...BETA, token: s.tokens.reader });
    expect(res.status).toBe(200);
    expect(res.body.total_count).toBe(5);
  });
});
