import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getHoldout and getHoldoutById: happy path', () => {
  let s: TestServer;
  let w: World;
  let banner: World;
  let holdout: any;
  const holdouts = () => `/api/v2/projects/${w.project}/environments/${w.env}/holdouts`;
  const byKey = async (expand?: string) => {
    const res = await s.get(`${holdouts()}/q3${expand ? `?expand=${expand}` : ''}`, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const byId = async (expand?: string) => {
    const res = await s.get(`${holdouts()}/id/${holdout._id}${expand ? `?expand=${expand}` : ''}`, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const patchExperiment = async (key: string, instructions: unknown[]) => {
    const res = await s.patch(experimentsPath(w, key), { instructions });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const stop = async (key: string) => {
    const treatments = (await s.get(`${experimentsPath(w, key)}?expand=treatments`)).body.currentIteration.treatments;
    return patchExperiment(key, [{ kind: 'stopIteration', winningTreatmentId: treatments[0]._id }]);
  };
  const related = (rep: any, key: string) => rep.relatedExperiments.find((e: any) => e.key === key);

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    // A second flag, on in production, for a second experiment in the holdout.
    const flag = await s.post(`/api/v2/flags/${w.project}`, { name: 'Banner', key: 'banner' });
    expect(flag.status).toBe(201);
    expect((await s.patch(`/api/v2/flags/${w.project}/banner`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    banner = { ...w, flag: 'banner', variations: flag.body.variations.map((v: any) => v._id) };
    const res = await s.post(
      holdouts(),
      { name: 'Q3 holdout', key: 'q3', description: 'Q3', holdoutamount: '10', metrics: [{ key: w.metric }, { key: w.numericMetric }] },
      BETA,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    holdout = res.body;
  });
  afterAll(() => s.close());

  it('by key: a HoldoutDetailRep; by _id: the HoldoutRep the spec names there, the experiments in it as `experiments`', async () => {
    const rep = await byKey();
    expect(Object.keys(rep)).toEqual(['_id', 'status', 'description', 'holdoutAmount', 'isDirty', 'createdAt', 'updatedAt', 'baseExperiment', 'relatedExperiments']);
    expect(rep).toMatchObject({
      _id: holdout._id,
      status: 'created',
      description: 'Q3',
      holdoutAmount: '10',
      isDirty: false,
      createdAt: holdout.createdAt,
      updatedAt: holdout.updatedAt,
      relatedExperiments: [],
    });
    expect(rep.baseExperiment).toMatchObject({ _id: holdout.baseExperiment._id, key: 'q3', type: 'holdout', currentIteration: { status: 'not_started' } });
    const byIdRep = await byId();
    expect(Object.keys(byIdRep)).toEqual(['_id', 'status', 'description', 'holdoutAmount', 'createdAt', 'updatedAt', 'baseExperiment', 'experiments']);
    expect(byIdRep).toMatchObject({ _id: holdout._id, status: 'created', description: 'Q3', holdoutAmount: '10', experiments: [] });
    // As postHoldout answers it: the base experiment with its treatments; getHoldoutById takes no expand.
    expect(byIdRep).toEqual({ ...holdout, status: 'created' });
    expect(byIdRep.baseExperiment).toEqual((await byKey('treatments')).baseExperiment);
    expect(await byId('draftIteration')).toEqual(byIdRep);
  });

  it("the base experiment's expansions appear only when asked", async () => {
    const plain = (await byKey()).baseExperiment;
    expect(plain.currentIteration.primaryMetric.key).toBe(w.metric);
    for (const field of ['treatments', 'secondaryMetrics', 'metrics']) expect(field in plain.currentIteration, field).toBe(false);
    for (const field of ['draftIteration', 'previousIterations']) expect(field in plain, field).toBe(false);

    const treatments = (await byKey('treatments')).baseExperiment;
    expect(treatments.currentIteration.treatments.map((t: any) => [t.name, t.allocationPercent])).toEqual([
      ['In holdout', '10'],
      ['Not in holdout', '90'],
    ]);
    expect('secondaryMetrics' in treatments.currentIteration).toBe(false);

    const metrics = (await byKey('secondaryMetrics')).baseExperiment;
    expect(metrics.currentIteration.secondaryMetrics.map((m: any) => m.key)).toEqual([w.numericMetric]);
    expect(metrics.currentIteration.metrics.map((m: any) => m.key)).toEqual([w.metric, w.numericMetric]);
    expect('treatments' in metrics.currentIteration).toBe(false);

    // The base experiment has not started: its draft is its current iteration.
    const draft = (await byKey('draftIteration')).baseExperiment;
    expect(draft.draftIteration).toMatchObject({ _id: draft.currentIteration._id, status: 'not_started' });
    // It never has previous iterations (its iteration cannot be replaced): asking shows none.
    expect('previousIterations' in (await byKey('previousIterations')).baseExperiment).toBe(false);
  });

  it('relatedExperiments are the experiments in the holdout; rel-* expansions apply to them only', async () => {
    for (const [key, world] of [
      ['button', w],
      ['banner-exp', banner],
    ] as const) {
      const version = await flagVersion(s, w.project, world.flag);
      const res = await s.post(experimentsPath(w), { name: key, key, holdoutId: holdout._id, iteration: iterationBody({ ...world, version }) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const rep = await byKey();
    expect(rep.status).toBe('enabled');
    expect(rep.relatedExperiments.map((e: any) => [e.key, e.holdoutId, e.type])).toEqual([
      ['button', holdout._id, 'experiment'],
      ['banner-exp', holdout._id, 'experiment'],
    ]);
    for (const e of rep.relatedExperiments) {
      expect('treatments' in e.currentIteration).toBe(false);
      expect('draftIteration' in e).toBe(false);
    }

    const relTreatments = await byKey('rel-treatments');
    expect(related(relTreatments, 'button').currentIteration.treatments.map((t: any) => t.name)).toEqual(['Control', 'Green']);
    expect('treatments' in relTreatments.baseExperiment.currentIteration).toBe(false);

    const baseTreatments = await byKey('treatments');
    expect(baseTreatments.baseExperiment.currentIteration.treatments).toHaveLength(2);
    expect('treatments' in related(baseTreatments, 'button').currentIteration).toBe(false);

    const relDraft = await byKey('rel-draftIteration');
    expect((await byId()).experiments).toEqual([
      { key: 'button', name: 'button', environment: w.env },
      { key: 'banner-exp', name: 'banner-exp', environment: w.env },
    ]);
    expect(related(relDraft, 'banner-exp').draftIteration._id).toBe(related(relDraft, 'banner-exp').currentIteration._id);
    expect('draftIteration' in relDraft.baseExperiment).toBe(false);

    for (const expand of ['rel-metrics', 'rel-secondaryMetrics']) {
      const relMetrics = await byKey(expand);
      expect(related(relMetrics, 'button').currentIteration.secondaryMetrics.map((m: any) => m.key), expand).toEqual([w.numericMetric]);
      expect('secondaryMetrics' in relMetrics.baseExperiment.currentIteration, expand).toBe(false);
    }
  });

  it("the first experiment to start starts the holdout's iteration; isDirty while the holdout and one of its experiments run", async () => {
    const started = await patchExperiment('button', [{ kind: 'startIteration' }]);
    const running = await byKey();
    expect(running).toMatchObject({ status: 'running', isDirty: true });
    const baseStart = running.baseExperiment.currentIteration.startedAt;
    expect(running.baseExperiment.currentIteration.status).toBe('running');
    expect(baseStart).toBe(started.currentIteration.startedAt);
    const holdoutFlag = (await s.get(`/api/v2/flags/${w.project}/q3`)).body.environments.production;
    expect(holdoutFlag.on).toBe(true);
    expect(holdoutFlag.fallthrough.rollout).toMatchObject({ contextKind: 'user', experimentAllocation: { defaultVariation: 1 } });
    const weight = (variation: number) => holdoutFlag.fallthrough.rollout.variations.filter((v: any) => v.variation === variation).reduce((sum: number, v: any) => sum + v.weight, 0);
    expect([weight(0), weight(1)]).toEqual([10_000, 90_000]);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.prerequisites).toEqual([{ key: 'q3', variation: 1 }]);

    // The second experiment joins the running holdout: the holdout's iteration is not restarted.
    await patchExperiment('banner-exp', [{ kind: 'startIteration' }]);
    const both = await byKey();
    expect(both.baseExperiment.currentIteration.startedAt).toBe(baseStart);
    expect(both.relatedExperiments.map((e: any) => e.currentIteration.status)).toEqual(['running', 'running']);

    await stop('button');
    expect(await byKey()).toMatchObject({ status: 'running', isDirty: true });
    await stop('banner-exp');
    const quiet = await byKey();
    expect(quiet).toMatchObject({ status: 'running', isDirty: false });
    expect(quiet.baseExperiment.currentIteration.status).toBe('running');
  });

  it('previousIterations and rel-previousIterations show the iterations an experiment ran before', async () => {
    const version = await flagVersion(s, w.project, w.flag);
    const draft = await s.post(`${experimentsPath(w, 'button')}/iterations`, iterationBody({ ...w, version }, { hypothesis: 'Second try' }));
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    await patchExperiment('button', [{ kind: 'startIteration' }]);

    const plain = await byKey();
    expect('previousIterations' in related(plain, 'button')).toBe(false);
    const rel = await byKey('rel-previousIterations');
    const button = related(rel, 'button');
    expect(button.currentIteration).toMatchObject({ hypothesis: 'Second try', status: 'running' });
    expect(button.previousIterations.map((it: any) => [it.hypothesis, it.status])).toEqual([['The green button lifts checkout completion', 'stopped']]);
    expect('previousIterations' in related(rel, 'banner-exp')).toBe(false);
    expect('previousIterations' in rel.baseExperiment).toBe(false);
    expect('previousIterations' in related(await byKey('previousIterations'), 'button')).toBe(false);
    expect(rel).toMatchObject({ status: 'running', isDirty: true });
  });

  it('a holdout keyed "id" is read by its key; the by-_id route still reads by _id', async () => {
    const created = await s.post(holdouts(), { name: 'Keyed id', key: 'id', holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const byItsKey = await s.get(`${holdouts()}/id`, BETA);
    expect(byItsKey.status).toBe(200);
    expect(byItsKey.body).toMatchObject({ _id: created.body._id, baseExperiment: { key: 'id' } });
    expect((await s.get(`${holdouts()}/id/${created.body._id}`, BETA)).body._id).toBe(created.body._id);
  });

  it('a reader may read either way', async () => {
    expect((await s.get(`${holdouts()}/q3`, { ...BETA, token: s.tokens.reader })).status).toBe(200);
    expect((await s.get(`${holdouts()}/id/${holdout._id}`, { ...BETA, token: s.tokens.reader })).status).toBe(200);
  });
});
