import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('createIteration: happy path', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
  });
  afterAll(() => s.close());
  const path = () => `${experimentsPath(w, 'exp')}/iterations`;

  it('creates a not_started draft, fully resolved, with LaunchDarkly defaults (200)', async () => {
    const before = Date.now();
    const res = await s.post(path(), iterationBody(w, { attributes: ['country'] }));
    expect(res.status).toBe(200);
    const it = res.body;
    expect(it._id).toMatch(/^[0-9a-f]{24}$/);
    expect(it).toMatchObject({
      hypothesis: 'The green button lifts checkout completion',
      status: 'not_started',
      canReshuffleTraffic: true,
      randomizationUnit: 'user',
      attributes: ['country'],
      version: 0,
    });
    expect(it.createdAt).toBeGreaterThanOrEqual(before);
    expect(it.startedAt).toBeUndefined();
    expect(it.flags).toEqual({
      [w.flag]: {
        targetingRule: 'fallthrough',
        flagConfigVersion: w.version,
        notInExperimentVariationId: w.variations[0],
        _links: { self: { href: `/api/v2/flags/${w.project}/${w.flag}`, type: 'application/json' } },
      },
    });
    expect(it.treatments).toEqual([
      { _id: w.variations[0], name: 'Control', allocationPercent: '50', baseline: true, parameters: [{ variationId: w.variations[0], flagKey: w.flag }] },
      { _id: w.variations[1], name: 'Green', allocationPercent: '50', baseline: false, parameters: [{ variationId: w.variations[1], flagKey: w.flag }] },
    ]);
    expect(it.primarySingleMetric).toMatchObject({ key: w.metric, name: 'Checkout completed', kind: 'custom', isNumeric: false, eventKey: 'checkout' });
    expect(it.primarySingleMetric._versionId).toEqual(expect.any(String));
    expect(it.primaryMetric).toMatchObject({ key: w.metric, isGroup: false });
    expect(it.metrics.map((m: { key: string }) => m.key)).toEqual([w.metric, w.numericMetric]);
    expect(it.secondaryMetrics.map((m: { key: string }) => m.key)).toEqual([w.numericMetric]);
    expect(it.primaryFunnel).toBeUndefined();
  });

  it('becomes the experiment’s only draft, replacing an unstarted one without a trace', async () => {
    const first = (await s.post(path(), iterationBody(w, { hypothesis: 'first' }))).body;
    const second = (await s.post(path(), iterationBody(w, { hypothesis: 'second' }))).body;
    expect(second._id).not.toBe(first._id);
    const exp = (await s.get(`${experimentsPath(w, 'exp')}?expand=draftIteration,previousIterations`)).body;
    expect(exp.draftIteration._id).toBe(second._id);
    // never started: LaunchDarkly shows the draft as the current iteration too
    expect(exp.currentIteration._id).toBe(second._id);
    expect(exp.previousIterations).toBeUndefined();
    const all = JSON.stringify(exp);
    expect(all).not.toContain(first._id);
  });

  it('accepts `flags` as a JSON string that decodes to an object, as the spec example sends', async () => {
    const body = iterationBody(w);
    const res = await s.post(path(), { ...body, flags: JSON.stringify(body.flags) });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.flags)).toEqual([w.flag]);
  });

  it('resolves a funnel group as the primary metric, with its member metrics', async () => {
    const res = await s.post(path(), iterationBody(w, { metrics: [{ key: w.funnel, isGroup: true }], primarySingleMetricKey: undefined, primaryFunnelKey: w.funnel }));
    expect(res.status).toBe(200);
    expect(res.body.primaryFunnel).toMatchObject({ key: w.funnel, name: 'Checkout funnel', kind: 'funnel' });
    expect(res.body.primaryFunnel.metrics.map((m: { key: string; nameInGroup: string }) => [m.key, m.nameInGroup])).toEqual([
      ['cart-viewed', 'Viewed cart'],
      ['checkout-completed', 'Checked out'],
    ]);
    expect(res.body.primaryMetric).toMatchObject({ key: w.funnel, isGroup: true, kind: 'funnel' });
    expect(res.body.primarySingleMetric).toBeUndefined();
  });

  it('targets a rule by _id and echoes its description and clauses', async () => {
    const res = await s.post(path(), iterationBody(w, { flags: { [w.flag]: { ruleId: w.ruleId, flagConfigVersion: w.version } } }));
    expect(res.status).toBe(200);
    expect(res.body.flags[w.flag]).toMatchObject({ targetingRule: w.ruleId, targetingRuleDescription: 'Beta users' });
    expect(res.body.flags[w.flag].targetingRuleClauses).toEqual([expect.objectContaining({ attribute: 'groups', op: 'in', values: ['beta'], negate: false })]);
  });

  it('honours explicit values: canReshuffleTraffic, notInExperimentVariationId, uneven allocation', async () => {
    const res = await s.post(
      path(),
      iterationBody(w, {
        canReshuffleTraffic: false,
        // IterationInput documents it for every experiment; only a bandit's iteration keeps and shows it.
        reallocationFrequencyMillis: 3600000,
        flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: w.version, notInExperimentVariationId: w.variations[1] } },
        treatments: [
          { name: 'Control', baseline: true, allocationPercent: '12.5', parameters: [{ flagKey: w.flag, variationId: w.variations[0] }] },
          { name: 'Green', baseline: false, allocationPercent: '20.125', parameters: [{ flagKey: w.flag, variationId: w.variations[1] }] },
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ canReshuffleTraffic: false });
    // Only a bandit's iteration shows how often it reallocates.
    expect(res.body).not.toHaveProperty('reallocationFrequencyMillis');
    expect(res.body.flags[w.flag].notInExperimentVariationId).toBe(w.variations[1]);
    expect(res.body.treatments.map((t: { allocationPercent: string }) => t.allocationPercent)).toEqual(['12.5', '20.125']);
  });

  it("a multi-armed bandit's iteration keeps its reallocationFrequencyMillis; another experiment's takes it and keeps none", async () => {
    const bandit = await s.post(experimentsPath(w), { name: 'Bandit', key: 'bandit', type: 'mab', iteration: iterationBody(w) });
    expect(bandit.status).toBe(201);
    const draft = await s.post(`${experimentsPath(w, 'bandit')}/iterations`, iterationBody(w, { reallocationFrequencyMillis: 60_000 }));
    expect(draft.status).toBe(200);
    expect(draft.body.reallocationFrequencyMillis).toBe(60_000);
    const plain = await s.post(experimentsPath(w), { name: 'Plain', key: 'plain', iteration: iterationBody(w, { reallocationFrequencyMillis: 60_000 }) });
    expect(plain.status).toBe(201);
    expect(plain.body.currentIteration).not.toHaveProperty('reallocationFrequencyMillis');
    const stored = await s.store.db.selectFrom('iterations').innerJoin('experiments', 'experiments.id', 'iterations.experiment_id').select('iterations.doc').where('experiments.key', '=', 'plain').executeTakeFirstOrThrow();
    expect(JSON.parse(stored.doc)).not.toHaveProperty('reallocationFrequencyMillis');
  });

  it('defaults the randomization unit to the project’s default unit', async () => {
    await s.put(`/api/v2/projects/${w.project}/experimentation-settings`, {
      randomizationUnits: [{ randomizationUnit: 'user', standardRandomizationUnit: 'user' }, { randomizationUnit: 'organization', default: true, standardRandomizationUnit: 'organization' }],
    });
    // A metric must measure by the iteration's unit: this one measures by both.
    const both = await s.post(`/api/v2/metrics/${w.project}`, { key: 'both-units', kind: 'custom', eventKey: 'both', isNumeric: false, randomizationUnits: ['user', 'organization'] });
    expect(both.status).toBe(201);
    const metrics = { metrics: [{ key: 'both-units' }], primarySingleMetricKey: 'both-units' };
    const res = await s.post(path(), iterationBody(w, metrics));
    expect(res.body.randomizationUnit).toBe('organization');
    const explicit = await s.post(path(), iterationBody(w, { ...metrics, randomizationUnit: 'user' }));
    expect(explicit.body.randomizationUnit).toBe('user');
    await s.put(`/api/v2/projects/${w.project}/experimentation-settings`, { randomizationUnits: [{ randomizationUnit: 'user', default: true }] });
  });

  it('a writer token may create iterations', async () => {
    expect((await s.post(path(), iterationBody(w), { token: s.tokens.writer })).status).toBe(200);
  });

  it('under concurrent calls exactly one draft remains, and it is one of those acknowledged', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => s.post(path(), iterationBody(w, { hypothesis: `race ${i}` }))));
    const acknowledged = results.filter((r) => r.status === 200).map((r) => r.body._id);
    expect(acknowledged.length).toBeGreaterThan(0);
    const rows = await s.store.db.selectFrom('iterations').select(['id', 'status']).where('status', '=', 'not_started').execute();
    const mine = (await s.get(`${experimentsPath(w, 'exp')}?expand=draftIteration`)).body.draftIteration._id;
    expect(acknowledged).toContain(mine);
    const exp = await s.store.db.selectFrom('experiments').select('id').where('key', '=', 'exp').executeTakeFirstOrThrow();
    const drafts = await s.store.db.selectFrom('iterations').select('id').where('experiment_id', '=', exp.id).where('status', '=', 'not_started').execute();
    expect(drafts).toEqual([{ id: mine }]);
    expect(rows.length).toBeGreaterThanOrEqual(1);
  });
});
