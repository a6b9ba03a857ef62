// getDeployments: the window (from/to, 7 days by default), applicationKey, kind and status filters, pages behind
// after/before cursors, and the links; getDeployment reads one by id with the same expansions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, deploy, DEPLOYMENTS, deploymentsOf, insightsWorld, type InsightsWorld } from '../../../test/support/insights.js';

describe('getDeployments and getDeployment', () => {
  let w: InsightsWorld;
  const T = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    w = await insightsWorld();
    for (let i = 0; i < 5; i++) await deploy(w, `v${i}`, T + i * DAY, { applicationKey: i % 2 === 0 ? 'billing' : 'web' });
    await deploy(w, 'v9', T, { environmentKey: 'test' });
    w.clock.now = T + 10 * DAY;
  });
  afterAll(() => w.s.close());

  it('the last 7 days by default, newest first; from and to narrow it', async () => {
    const res = await w.get(`${DEPLOYMENTS}?projectKey=shop&environmentKey=production`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((d: { applicationVersion: string }) => d.applicationVersion)).toEqual(['v4', 'v3']);
    expect(res.body.totalCount).toBe(2);
    expect((await deploymentsOf(w, `&to=${T + 2 * DAY}`)).map((d) => d.applicationVersion)).toEqual(['v2', 'v1', 'v0']);
    expect((await deploymentsOf(w, '&applicationKey=web')).map((d) => d.applicationVersion)).toEqual(['v3', 'v1']);
    expect((await deploymentsOf(w, '&applicationKey=web,billing&kind=new&status=finished')).length).toBe(5);
    expect(await deploymentsOf(w, '&status=failed')).toEqual([]);
  });

  it('pages of `limit` behind after/before cursors', async () => {
    const first = await w.get(`${DEPLOYMENTS}?projectKey=shop&environmentKey=production&from=0&limit=2`);
    expect(first.body.totalCount).toBe(5);
    const ids = first.body.items.map((d: { id: string }) => d.id);
    expect(first.body._links.next.href).toBe(`${DEPLOYMENTS}?projectKey=shop&environmentKey=production&from=0&limit=2&after=${ids[1]}`);
    const second = await w.get(first.body._links.next.href);
    expect(second.body.items.map((d: { applicationVersion: string }) => d.applicationVersion)).toEqual(['v2', 'v1']);
    const back = await w.get(second.body._links.prev.href);
    expect(back.body.items.map((d: { id: string }) => d.id)).toEqual(ids);
  });

  it('getDeployment: one by id, expanded as asked', async () => {
    const [latest] = await deploymentsOf(w);
    const res = await w.get(`${DEPLOYMENTS}/${latest.id}?expand=pullRequests`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...latest, pullRequests: { totalCount: 0, items: [] } });
  });
});
