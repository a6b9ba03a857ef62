// The browser SDKs' goals (GET /sdk/goals/{envId}): the project's page-view and click metrics, with the URL matchers
// and selector the SDK watches the page with; the `pageview` and `click` events it then sends count for those metrics
// in experiment results, as custom events count for custom metrics.
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

/** One matcher of each kind, as a page-view metric takes them and as the SDKs read them back. */
const PRICING_URLS = [
  { kind: 'exact', url: 'https://shop.example/pricing' },
  { kind: 'substring', substring: '/pricing' },
  { kind: 'regex', pattern: 'pricing\\?plan=.*' },
  { kind: 'canonical', url: 'https://shop.example/plans' },
];

describe('click and page-view goals', () => {
  let s: TestServer;
  let w: World;
  let envId: string;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    envId = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body._id;
    const pageview = await s.post(`/api/v2/metrics/${w.project}`, {
      key: 'saw-pricing',
      name: 'Saw pricing',
      kind: 'pageview',
      urls: PRICING_URLS,
    });
    expect(pageview.status, JSON.stringify(pageview.body)).toBe(201);
    const click = await s.post(`/api/v2/metrics/${w.project}`, { key: 'clicked-buy', name: 'Clicked buy', kind: 'click', selector: 'button.buy', urls: [{ kind: 'substring', substring: 'shop.example' }] });
    expect(click.status, JSON.stringify(click.body)).toBe(201);
  });
  afterAll(() => s.close());

  it('lists the project\'s page-view and click metrics as goals, with their URLs and selector; custom metrics are not goals', async () => {
    const res = await s.get(`/sdk/goals/${envId}`, { token: null });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body).toEqual([
      // The world's own page-view metric.
      { key: 'cart-viewed', kind: 'pageview', urls: [{ kind: 'substring', substring: '/cart' }] },
      { key: 'clicked-buy', kind: 'click', urls: [{ kind: 'substring', substring: 'shop.example' }], selector: 'button.buy' },
      {
        key: 'saw-pricing',
        kind: 'pageview',
        urls: PRICING_URLS,
      },
    ]);
    // Another project's environment has its own alone.
    const other = await createWorld(s, 'other-goals');
    const otherEnv = (await s.get(`/api/v2/projects/${other.project}/environments/production`)).body._id;
    expect((await s.get(`/sdk/goals/${otherEnv}`, { token: null })).body.map((goal: { key: string }) => goal.key)).toEqual(['cart-viewed']);
  });

  it('the page views and clicks the browser SDK sends for them are the conversions of those metrics in results', async () => {
    const metrics = [{ key: 'saw-pricing' }, { key: 'clicked-buy' }];
    await createExperimentIn(s, w, 'goals-exp', iterationBody(w, { metrics, primarySingleMetricKey: 'saw-pricing' }));
    const started = await s.patch(experimentsPath(w, 'goals-exp'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const client: LDClient = sdkClient(s.url, await sdkKeyOf(s, w.project), { sendEvents: true, flushInterval: 3600, capacity: 10_000 });
    const served = new Map<boolean, number>();
    const viewed = new Map<boolean, number>();
    const clicked = new Map<boolean, number>();
    const events: unknown[] = [];
    try {
      await client.waitForInitialization({ timeout: 10 });
      for (let i = 0; i < 60; i++) {
        const unit = { kind: 'user', key: `visitor-${i}` };
        const value = (await client.variation(w.flag, unit, 'default')) as boolean;
        served.set(value, (served.get(value) ?? 0) + 1);
        const at = Date.now() + 1;
        // As the browser SDK sends a goal: its kind and key, the page, and the context's keys.
        if (i % 2 === 0) {
          events.push({ kind: 'pageview', key: 'saw-pricing', data: null, url: 'https://shop.example/pricing', creationDate: at, contextKeys: { user: unit.key } });
          viewed.set(value, (viewed.get(value) ?? 0) + 1);
        }
        if (i % 3 === 0) {
          events.push({ kind: 'click', key: 'clicked-buy', data: null, url: 'https://shop.example/pricing', creationDate: at, contextKeys: { user: unit.key } });
          clicked.set(value, (clicked.get(value) ?? 0) + 1);
        }
      }
      await client.flush();
    } finally {
      client.close();
    }
    // A custom event of the metric's key is not a page view.
    events.push({ kind: 'custom', key: 'saw-pricing', creationDate: Date.now() + 1, contextKeys: { user: 'visitor-1' } });
    const sent = await s.post(`/events/bulk/${envId}`, events, { token: null });
    expect(sent.status).toBe(202);

    for (const [metric, converted] of [['saw-pricing', viewed], ['clicked-buy', clicked]] as const) {
      const res = await s.get(`${experimentsPath(w, 'goals-exp')}/metrics/${metric}/results`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const [control, green] = res.body.treatmentResults;
      expect(control).toMatchObject({ units: served.get(true), eventValuesSum: converted.get(true) ?? 0, model: 'bayesianBeta' });
      expect(green).toMatchObject({ units: served.get(false), eventValuesSum: converted.get(false) ?? 0 });
    }
  });
});
