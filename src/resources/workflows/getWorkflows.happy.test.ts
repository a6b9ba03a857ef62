// Listing a flag's workflows in an environment: newest first by default, `sort` by creationDate or stopDate (either
// way round; a running workflow stops after every stopped one), `status` filters, `limit` and `offset` page with
// the links LaunchDarkly gives; getCustomWorkflow reads one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getWorkflows and getCustomWorkflow', () => {
  let s: TestServer;
  let w: World;
  let clock = Date.UTC(2026, 11, 5, 12);
  const path = () => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/workflows`;
  const ids = async (query: string) => (await s.get(`${path()}${query}`)).body.items.map((i: { name: string }) => i.name);
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
    const waiting = { conditions: [{ kind: 'schedule', scheduleKind: 'relative', waitDuration: 1, waitDurationUnit: 'calendarWeek' }], action: { instructions: [{ kind: 'turnFlagOff' }] } };
    const now = { action: { instructions: [{ kind: 'updateOffVariation', variationId: w.variations[1] }] } };
    for (const [name, stage] of [['a', waiting], ['b', now], ['c', waiting], ['d', now]] as const) {
      expect((await s.post(path(), { name, stages: [stage] })).status).toBe(201);
      clock += 60_000;
    }
  });
  afterAll(() => s.close());

  it('newest first by default; sorted by creationDate or stopDate either way round', async () => {
    expect(await ids('')).toEqual(['d', 'c', 'b', 'a']);
    expect(await ids('?sort=creationDate')).toEqual(['a', 'b', 'c', 'd']);
    expect(await ids('?sort=stopDate')).toEqual(['b', 'd', 'a', 'c']);
    expect(await ids('?sort=-stopDate')).toEqual(['c', 'a', 'd', 'b']);
  });

  it('status filters: active, completed, failed', async () => {
    expect(await ids('?status=active')).toEqual(['c', 'a']);
    expect(await ids('?status=completed')).toEqual(['d', 'b']);
    expect((await s.get(`${path()}?status=completed`)).body.totalCount).toBe(2);
    expect(await ids('?status=failed')).toEqual([]);
  });

  it('limit and offset page, with first, prev, next and last links carrying the filter and sort', async () => {
    const page = (await s.get(`${path()}?limit=1&offset=1&sort=creationDate`)).body;
    expect(page.items.map((i: { name: string }) => i.name)).toEqual(['b']);
    expect(page.totalCount).toBe(4);
    const href = (offset: number) => ({ href: `${path()}?sort=creationDate&limit=1&offset=${offset}`, type: 'application/json' });
    expect(page._links).toEqual({ self: href(1), first: href(0), prev: href(0), next: href(2), last: href(3) });
    expect((await s.get(`${path()}?offset=10`)).body).toMatchObject({ items: [], totalCount: 4 });
  });

  it('getCustomWorkflow reads one, as the list shows it', async () => {
    const [newest] = (await s.get(path())).body.items;
    const one = await s.get(`${path()}/${newest._id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(newest);
    expect(one.body).toMatchObject({ name: 'd', _execution: { status: 'completed' } });
  });
});
