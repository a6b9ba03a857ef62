// getFlagEvents: flag events from the audit log of flag changes (targeting turned on, rules, rollouts; created and
// archived as global events), with the impact the SDKs' summary events show ten minutes either side, the member who
// made the change, the experiments running on the flag, and the filters and pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { insightsWorld, type InsightsWorld } from '../../../test/support/insights.js';

const MIN = 60_000;

describe('getFlagEvents', () => {
  let w: InsightsWorld;
  let T: number;
  const events = (query = '') => w.get(`/api/v2/engineering-insights/flag-events?projectKey=shop&environmentKey=production${query}`);
  beforeAll(async () => {
    w = await insightsWorld();
    T = w.clock.now;
    const key = await sdkKeyOf(w.s, 'shop');
    const summary = (at: number, counters: unknown[]) => w.s.post('/bulk', [{ kind: 'summary', startDate: at - MIN, endDate: at, features: { checkout: { default: false, counters } } }], { token: key });
    expect((await summary(T + 25 * MIN, [{ value: false, variation: 1, version: 1, count: 90 }])).status).toBe(202);
    w.clock.now = T + 30 * MIN;
    expect((await w.s.patch('/api/v2/flags/shop/checkout', [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    await summary(T + 35 * MIN, [{ value: true, variation: 0, version: 2, count: 60 }, { value: false, variation: 1, version: 2, count: 20 }]);
    w.clock.now = T + 60 * MIN;
    await w.s.patch('/api/v2/flags/shop/search', [{ op: 'replace', path: '/environments/test/on', value: true }]);
    await w.s.patch('/api/v2/flags/shop/search', [{ op: 'replace', path: '/environments/production/fallthrough', value: { rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] } } }]);
    w.clock.now = T + 65 * MIN;
  });
  afterAll(() => w.s.close());

  it('each environment change and each global one, newest first, with its impact and member', async () => {
    const res = await events('&from=0');
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { flagKey: string; eventType: string }) => [e.flagKey, e.eventType])).toEqual([
      ['search', 'rollout_changed'],
      ['checkout', 'enabled_targeting'],
      ['search', 'flag_created'],
      ['checkout', 'flag_created'],
    ]);
    const project = (await w.s.get('/api/v2/projects/shop?expand=environments')).body;
    const [rollout, enabled, created] = res.body.items;
    expect(enabled).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      projectId: project._id,
      projectKey: 'shop',
      environmentId: project.environments.items.find((e: { key: string }) => e.key === 'production')._id,
      environmentKey: 'production',
      flagKey: 'checkout',
      eventType: 'enabled_targeting',
      eventTime: T + 30 * MIN,
      description: 'Targeting enabled',
      auditLogEntryId: expect.any(String),
      member: { id: expect.any(String), email: 'owner@iterlab.local', firstName: 'iterlab', lastName: 'Owner' },
      actions: ['updateOn'],
      impact: { size: 'medium', percentage: 75, reason: 'evaluations', evaluationsSummary: { variations: [{ value: true, before: 0, after: 60 }, { value: false, before: 90, after: 20 }] } },
    });
    expect(rollout.impact).toEqual({ reason: 'waiting' });
    expect(created).toMatchObject({ eventType: 'flag_created', impact: { reason: 'global' } });
    expect(created.environmentKey).toBeUndefined();
    expect(res.body.totalCount).toBe(4);
  });

  it('filters: global=exclude, query, impactSize, hasExperiments, the window; pages', async () => {
    expect((await events('&from=0&global=exclude')).body.totalCount).toBe(2);
    expect((await events('&from=0&query=CHECK')).body.items.map((e: { eventType: string }) => e.eventType)).toEqual(['enabled_targeting', 'flag_created']);
    expect((await events('&from=0&impactSize=medium')).body.items.map((e: { flagKey: string }) => e.flagKey)).toEqual(['checkout']);
    expect((await events('&from=0&hasExperiments=true')).body.totalCount).toBe(0);
    expect((await events(`&from=${T + 20 * MIN}&to=${T + 40 * MIN}&expand=experiments`)).body.items).toEqual([expect.objectContaining({ eventType: 'enabled_targeting', experiments: { totalCount: 0, items: [] } })]);
    const first = await events('&from=0&limit=3');
    expect(first.body.items).toHaveLength(3);
    const rest = await w.get(first.body._links.next.href);
    expect(rest.body.items.map((e: { flagKey: string; eventType: string }) => e.eventType)).toEqual(['flag_created']);
  });

  it('applicationKey: only flags those applications evaluated', async () => {
    expect((await events('&from=0&applicationKey=billing')).body.totalCount).toBe(0);
  });
});
