import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('getExperiment: happy path', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
  });
  afterAll(() => s.close());

  it('shows currentIteration always, and only the primary metric by default', async () => {
    const exp = (await s.get(experimentsPath(w, 'exp'))).body;
    expect(exp.currentIteration.primarySingleMetric.key).toBe(w.metric);
    expect(exp.currentIteration.treatments).toBeUndefined();
    expect(exp.currentIteration.secondaryMetrics).toBeUndefined();
    expect(exp.draftIteration).toBeUndefined();
    expect(exp.previousIterations).toBeUndefined();
  });

  it('expands treatments, secondaryMetrics and draftIteration; empty expansions are omitted', async () => {
    const exp = (await s.get(`${experimentsPath(w, 'exp')}?expand=treatments,secondaryMetrics,draftIteration,previousIterations`)).body;
    expect(exp.currentIteration.treatments.map((t: { name: string }) => t.name)).toEqual(['Control', 'Green']);
    expect(exp.currentIteration.secondaryMetrics.map((m: { key: string }) => m.key)).toEqual([w.numericMetric]);
    expect(exp.draftIteration._id).toBe(exp.currentIteration._id);
    expect(exp.draftIteration.treatments).toHaveLength(2);
    expect('previousIterations' in exp).toBe(false);
  });

  it('mutableFieldsByStatus is a plain member (2026-07): what updateExperimentFields allows in each status, with or without expand', async () => {
    const exp = (await s.get(experimentsPath(w, 'exp'))).body;
    expect(Object.keys(exp.mutableFieldsByStatus).sort()).toEqual(['not_started', 'running', 'stopped']);
    expect(exp.mutableFieldsByStatus.not_started).toMatchObject({ name: ['update'], methodology: ['update'], metrics: ['add', 'update', 'remove'], tags: ['add', 'update', 'remove'] });
    expect(exp.mutableFieldsByStatus.running).toMatchObject({ name: ['update'], metrics: ['add'], attributes: ['add'] });
    expect(exp.mutableFieldsByStatus.running.methodology).toBeUndefined();
    expect(exp.mutableFieldsByStatus.stopped.metrics).toBeUndefined();
    expect((await s.get(`${experimentsPath(w, 'exp')}?expand=mutableFieldsByStatus`)).body.mutableFieldsByStatus).toEqual(exp.mutableFieldsByStatus);
    const list = (await s.get(`/api/v2/projects/${w.project}/environments/${w.env}/experiments`)).body;
    expect(list.items.find((e: { key: string }) => e.key === 'exp').mutableFieldsByStatus).toEqual(exp.mutableFieldsByStatus);
  });

  it("mutableFieldsByStatus lists reallocationFrequencyMillis for a multi-armed bandit's draft only", async () => {
    expect((await s.get(experimentsPath(w, 'exp'))).body.mutableFieldsByStatus.not_started).not.toHaveProperty('reallocationFrequencyMillis');
    const bandit = await s.post(experimentsPath(w), { name: 'Bandit', key: 'bandit', type: 'mab', iteration: iterationBody(w) });
    expect(bandit.status).toBe(201);
    expect(bandit.body.mutableFieldsByStatus.not_started.reallocationFrequencyMillis).toEqual(['update']);
    expect(bandit.body.mutableFieldsByStatus.running).not.toHaveProperty('reallocationFrequencyMillis');
    const updated = await s.patch(experimentsPath(w, 'bandit'), { instructions: [{ kind: 'updateExperimentFields', value: { reallocationFrequencyMillis: { operation: 'update', value: 60_000 } } }] });
    expect(updated.status).toBe(200);
    expect(updated.body.currentIteration.reallocationFrequencyMillis).toBe(60_000);
  });

  it("the iteration's metrics (MetricV2Rep) carry the metric's analysisType (2026-07)", async () => {
    const exp = (await s.get(`${experimentsPath(w, 'exp')}?expand=secondaryMetrics`)).body;
    const primary = (await s.get(`/api/v2/metrics/${w.project}/${w.metric}`)).body;
    const secondary = (await s.get(`/api/v2/metrics/${w.project}/${w.numericMetric}`)).body;
    expect(exp.currentIteration.primarySingleMetric.analysisType).toBe(primary.analysisType);
    expect(exp.currentIteration.secondaryMetrics[0].analysisType).toBe(secondary.analysisType);
    expect([primary.analysisType, secondary.analysisType]).toEqual(['mean', 'mean']);
  });

  it('a reader may read', async () => {
    expect((await s.get(experimentsPath(w, 'exp'), { token: s.tokens.reader })).status).toBe(200);
  });

  it('shows a new draft beside the current one', async () => {
    const draft = (await s.post(`${experimentsPath(w, 'exp')}/iterations`, iterationBody(w, { hypothesis: 'next' }))).body;
    const exp = (await s.get(`${experimentsPath(w, 'exp')}?expand=draftIteration`)).body;
    expect(exp.draftIteration._id).toBe(draft._id);
  });
});
