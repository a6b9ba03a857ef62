// Results for a metric group: each member metric's results, in the group's order, from the SDK's events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from '../../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getExperimentResultsForMetricGroup', () => {
  let s: TestServer;
  let w: World;
  let spent = 0;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    await createExperimentIn(s, w, 'grouped', iterationBody(w, { metrics: [{ key: w.metric }, { key: w.standardGroup, isGroup: true }] }));
    expect((await s.patch(experimentsPath(w, 'grouped'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const client = sdkClient(s.url, await sdkKeyOf(s, w.project), { sendEvents: true, flushInterval: 3600 });
    try {
      await client.waitForInitialization({ timeout: 10 });
      for (let i = 0; i < 40; i++) {
        const unit = { kind: 'user', key: `g-${i}` };
        await client.variation(w.flag, unit, 'default');
        client.track('purchase', unit, undefined, 2 * i);
        spent += 2 * i;
      }
      await client.flush();
    } finally {
      client.close();
    }
  });
  afterAll(() => s.close());

  it('each member metric with its results', async () => {
    const res = await s.get(`${experimentsPath(w, 'grouped')}/metric-groups/${w.standardGroup}/results`);
    expect(res.status).toBe(200);
    expect(res.body._links.self.href).toBe(`${experimentsPath(w, 'grouped')}/metric-groups/${w.standardGroup}/results`);
    expect(res.body.metrics.map((m: { metric: { key: string } }) => m.metric.key)).toEqual([w.numericMetric]);
    const [{ results }] = res.body.metrics;
    const sums = results.treatmentResults.map((t: { eventValuesSum: number }) => t.eventValuesSum);
    expect(sums[0] + sums[1]).toBe(spent);
    expect(results.treatmentResults.map((t: { units: number }) => t.units).reduce((a: number, b: number) => a + b, 0)).toBe(40);
    // A member metric is also answered on its own.
    const single = await s.get(`${experimentsPath(w, 'grouped')}/metrics/${w.numericMetric}/results`);
    expect(single.body.treatmentResults).toEqual(results.treatmentResults);
  });

  it('a funnel: each step converts only units that converted the step before it, in order', async () => {
    for (const [key, eventKey] of [['added', 'add-to-cart'], ['paid', 'pay']]) {
      expect((await s.post(`/api/v2/metrics/${w.project}`, { key, name: key, kind: 'custom', eventKey, isNumeric: false })).status).toBe(201);
    }
    const maintainerId = (await s.get('/api/v2/tokens')).body.items[0].memberId;
    const funnel = { key: 'buy-funnel', name: 'Buy', kind: 'funnel', maintainerId, tags: [], metrics: [{ key: 'added', nameInGroup: 'Added' }, { key: 'paid', nameInGroup: 'Paid' }] };
    expect((await s.post(`/api/v2/projects/${w.project}/metric-groups`, funnel, { headers: { 'LD-API-Version': 'beta' } })).status).toBe(201);
    // The flag's fallthrough belongs to the running experiment "grouped": stop it first.
    const grouped = (await s.get(`${experimentsPath(w, 'grouped')}?expand=treatments`)).body;
    const stop = { kind: 'stopIteration', winningTreatmentId: grouped.currentIteration.treatments[0]._id, winningReason: 'done' };
    expect((await s.patch(experimentsPath(w, 'grouped'), { instructions: [stop] })).status).toBe(200);
    const version = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.version;
    const body = iterationBody(w, { metrics: [{ key: 'buy-funnel', isGroup: true }], primarySingleMetricKey: undefined, primaryFunnelKey: 'buy-funnel', flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: version } } });
    await createExperimentIn(s, w, 'funnelled', body);
    expect((await s.patch(experimentsPath(w, 'funnelled'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const client = sdkClient(s.url, await sdkKeyOf(s, w.project), { sendEvents: true, flushInterval: 3600 });
    try {
      await client.waitForInitialization({ timeout: 10 });
      for (let i = 0; i < 30; i++) {
        const unit = { kind: 'user', key: `f-${i}` };
        await client.variation(w.flag, unit, 'default');
        // Every unit adds to its cart; a third pay after that, and another third pay without adding (skipped).
        if (i % 3 !== 2) client.track('add-to-cart', unit);
        if (i % 3 !== 1) client.track('pay', unit);
      }
      await client.flush();
    } finally {
      client.close();
    }
    const res = await s.get(`${experimentsPath(w, 'funnelled')}/metric-groups/buy-funnel/results`);
    expect(res.status).toBe(200);
    const converted = (step: number) => res.body.metrics[step].results.treatmentResults.reduce((sum: number, t: { eventValuesSum: number }) => sum + t.eventValuesSum, 0);
    expect(res.body.metrics.map((m: { metric: { key: string } }) => m.metric.key)).toEqual(['added', 'paid']);
    expect(converted(0)).toBe(20);
    expect(converted(1)).toBe(10);
  });

  it('404 for a group the iteration does not measure', async () => {
    const res = await s.get(`${experimentsPath(w, 'grouped')}/metric-groups/${w.funnel}/results`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});
