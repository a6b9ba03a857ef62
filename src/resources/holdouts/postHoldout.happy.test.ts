import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postHoldout: happy path', () => {
  let s: TestServer;
  let w: World;
  let memberId: string;
  const holdouts = (env = 'production') => `/api/v2/projects/${w.project}/environments/${env}/holdouts`;
  const flag = async (key: string) => (await s.get(`/api/v2/flags/${w.project}/${key}`)).body;
  const treatments = (rep: any) =>
    rep.baseExperiment.currentIteration.treatments.map((t: any) => [t.name, t.allocationPercent, t.baseline, t.parameters]);

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    memberId = (await s.get('/api/v2/tokens')).body.items[0].memberId;
    const units = await s.put(`/api/v2/projects/${w.project}/experimentation-settings`, {
      randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'organization' }],
    });
    expect(units.status).toBe(200);
    // A metric must measure by the unit of the iteration using it: these measure by both.
    for (const key of [w.metric, w.numericMetric]) {
      const both = await s.patch(`/api/v2/metrics/${w.project}/${key}`, [{ op: 'replace', path: '/randomizationUnits', value: ['user', 'organization'] }]);
      expect(both.status).toBe(200);
    }
  });
  afterAll(() => s.close());

  it('201 HoldoutRep: a base experiment of type "holdout" on a new flag whose purpose is "holdout"', async () => {
    const res = await s.post(
      holdouts(),
      {
        name: 'Q3 holdout',
        key: 'q3',
        description: 'Everything shipped in Q3',
        randomizationunit: 'user',
        attributes: ['country', 'device'],
        holdoutamount: '10',
        primarymetrickey: w.metric,
        metrics: [{ key: w.metric }, { key: w.numericMetric }],
      },
      BETA,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const rep = res.body;
    expect(Object.keys(rep)).toEqual(['_id', 'status', 'description', 'holdoutAmount', 'createdAt', 'updatedAt', 'baseExperiment', 'experiments']);
    expect(rep).toMatchObject({ status: 'created', description: 'Everything shipped in Q3', holdoutAmount: '10', experiments: [] });
    expect(rep._id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(rep.updatedAt).toBe(rep.createdAt);

    const holdoutFlag = await flag('q3');
    expect(holdoutFlag).toMatchObject({ key: 'q3', name: 'Q3 holdout', kind: 'boolean', _purpose: 'holdout', temporary: false, maintainerId: memberId });
    expect(holdoutFlag.variations.map((v: any) => [v.value, v.name])).toEqual([
      [true, 'In holdout'],
      [false, 'Not in holdout'],
    ]);
    const [inId, notInId] = holdoutFlag.variations.map((v: any) => v._id);
    // Off everywhere until the holdout's first experiment starts; off serves "Not in holdout".
    expect(holdoutFlag.environments.production.on).toBe(false);
    expect(holdoutFlag.environments.test.on).toBe(false);
    expect(holdoutFlag.defaults).toEqual({ onVariation: 1, offVariation: 1 });

    const base = rep.baseExperiment;
    expect(base).toMatchObject({
      key: 'q3',
      name: 'Q3 holdout',
      description: 'Everything shipped in Q3',
      type: 'holdout',
      environmentKey: 'production',
      _maintainerId: memberId,
      _links: { self: { href: `/api/v2/projects/${w.project}/environments/production/experiments/q3`, type: 'application/json' } },
    });
    expect(base.currentIteration).toMatchObject({
      status: 'not_started',
      hypothesis: 'Everything shipped in Q3',
      canReshuffleTraffic: false,
      randomizationUnit: 'user',
      attributes: ['country', 'device'],
      primaryMetric: { key: w.metric },
      flags: { q3: { targetingRule: 'fallthrough', notInExperimentVariationId: notInId, flagConfigVersion: holdoutFlag.environments.production.version } },
    });
    expect(Object.keys(base.currentIteration.flags)).toEqual(['q3']);
    expect(treatments(rep)).toEqual([
      ['In holdout', '10', true, [{ flagKey: 'q3', variationId: inId }]],
      ['Not in holdout', '90', false, [{ flagKey: 'q3', variationId: notInId }]],
    ]);

    // The base experiment is an experiment of the environment, readable through the experiments API.
    const experiment = await s.get(`${experimentsPath(w, 'q3')}?expand=secondaryMetrics`);
    expect(experiment.status).toBe(200);
    expect(experiment.body).toMatchObject({ _id: base._id, type: 'holdout', name: 'Q3 holdout' });
    expect(experiment.body.currentIteration.metrics.map((m: any) => m.key)).toEqual([w.metric, w.numericMetric]);

    const read = await s.get(`${holdouts()}/q3`, BETA);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ _id: rep._id, status: 'created', holdoutAmount: '10', createdAt: rep.createdAt });
  });

  it('a minimal body: the project default randomization unit, a default hypothesis, no description', async () => {
    const res = await s.post(holdouts(), { name: 'Minimal', key: 'minimal', holdoutamount: '5', metrics: [{ key: w.metric }] }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect('description' in res.body).toBe(false);
    expect('description' in res.body.baseExperiment).toBe(false);
    expect(res.body.baseExperiment.currentIteration.randomizationUnit).toBe('user');
    expect(res.body.baseExperiment.currentIteration.hypothesis).toBe('Contexts in none of the experiments of holdout "Minimal" against those in them');
    expect(res.body.baseExperiment.currentIteration.treatments.map((t: any) => t.allocationPercent)).toEqual(['5', '95']);
    expect(res.body.baseExperiment._maintainerId).toBe(memberId);
  });

  it('decimal holdout amounts are kept as sent (trimmed), with their exact complement', async () => {
    for (const [key, amount, kept, rest] of [
      ['half', ' 2.5 ', '2.5', '97.5'],
      ['tiny', '0.001', '0.001', '99.999'],
      ['most', '99.999', '99.999', '0.001'],
      ['third', '33.333', '33.333', '66.667'],
    ]) {
      const res = await s.post(holdouts(), { name: key, key, holdoutamount: amount, metrics: [{ key: w.metric }] }, BETA);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.holdoutAmount).toBe(kept);
      expect(res.body.baseExperiment.currentIteration.treatments.map((t: any) => t.allocationPercent)).toEqual([kept, rest]);
    }
  });

  it('the primary metric: primarymetrickey (added to the end of metrics when missing), else the one marked primary, else the first', async () => {
    const added = await s.post(holdouts(), { name: 'P1', key: 'p1', holdoutamount: '10', primarymetrickey: w.metric, metrics: [{ key: w.numericMetric }] }, BETA);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.baseExperiment.currentIteration.primaryMetric.key).toBe(w.metric);
    const p1 = await s.get(`${holdouts()}/p1?expand=secondaryMetrics`, BETA);
    expect(p1.body.baseExperiment.currentIteration.metrics.map((m: any) => m.key)).toEqual([w.numericMetric, w.metric]);
    expect(p1.body.baseExperiment.currentIteration.secondaryMetrics.map((m: any) => m.key)).toEqual([w.numericMetric]);

    const onlyPrimary = await s.post(holdouts(), { name: 'P2', key: 'p2', holdoutamount: '10', primarymetrickey: w.numericMetric }, BETA);
    expect(onlyPrimary.status, JSON.stringify(onlyPrimary.body)).toBe(201);
    expect(onlyPrimary.body.baseExperiment.currentIteration.primarySingleMetric.key).toBe(w.numericMetric);

    const marked = await s.post(holdouts(), { name: 'P3', key: 'p3', holdoutamount: '10', metrics: [{ key: w.numericMetric }, { key: w.metric, primary: true }] }, BETA);
    expect(marked.body.baseExperiment.currentIteration.primaryMetric.key).toBe(w.metric);

    const first = await s.post(holdouts(), { name: 'P4', key: 'p4', holdoutamount: '10', metrics: [{ key: w.numericMetric }, { key: w.metric }] }, BETA);
    expect(first.body.baseExperiment.currentIteration.primaryMetric.key).toBe(w.numericMetric);

    const funnel = await s.post(holdouts(), { name: 'P5', key: 'p5', holdoutamount: '10', primarymetrickey: w.funnel, metrics: [{ key: w.funnel, isGroup: true }, { key: w.metric }] }, BETA);
    expect(funnel.status, JSON.stringify(funnel.body)).toBe(201);
    expect(funnel.body.baseExperiment.currentIteration.primaryMetric).toMatchObject({ key: w.funnel, isGroup: true });
    expect(funnel.body.baseExperiment.currentIteration.primaryFunnel.key).toBe(w.funnel);
  });

  it('randomizationunit and maintainerId are used as given', async () => {
    const res = await s.post(
      holdouts(),
      { name: 'Orgs', key: 'orgs', holdoutamount: '20', randomizationunit: 'organization', maintainerId: memberId, metrics: [{ key: w.metric }] },
      BETA,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.baseExperiment.currentIteration.randomizationUnit).toBe('organization');
    expect(res.body.baseExperiment._maintainerId).toBe(memberId);
    expect((await flag('orgs')).maintainerId).toBe(memberId);
  });

  it('prerequisiteflagkey names the holdout flag; holdouts of one key in other environments share the flag', async () => {
    const res = await s.post(holdouts(), { name: 'Gated', key: 'gated', holdoutamount: '10', prerequisiteflagkey: 'gated-flag', metrics: [{ key: w.metric }] }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body.baseExperiment.currentIteration.flags)).toEqual(['gated-flag']);
    expect((await s.get(`/api/v2/flags/${w.project}/gated`)).status).toBe(404);
    const gate = await flag('gated-flag');
    expect(gate._purpose).toBe('holdout');

    // The test environment's holdout reuses the project's holdout flag, variations included, without changing it.
    const inTest = await s.post(holdouts('test'), { name: 'Gated', key: 'gated', holdoutamount: '15', prerequisiteflagkey: 'gated-flag', metrics: [{ key: w.metric }] }, BETA);
    expect(inTest.status, JSON.stringify(inTest.body)).toBe(201);
    expect(inTest.body._id).not.toBe(res.body._id);
    expect(inTest.body.baseExperiment.environmentKey).toBe('test');
    expect(inTest.body.baseExperiment.currentIteration.treatments.map((t: any) => t.parameters[0].variationId)).toEqual(gate.variations.map((v: any) => v._id));
    expect(await flag('gated-flag')).toEqual(gate);

    // Without prerequisiteflagkey the flag is the key's: q3's holdout in test takes the q3 flag.
    const q3 = await flag('q3');
    const q3Test = await s.post(holdouts('test'), { name: 'Q3 in test', key: 'q3', holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA);
    expect(q3Test.status, JSON.stringify(q3Test.body)).toBe(201);
    expect(q3Test.body.baseExperiment.currentIteration.flags.q3.notInExperimentVariationId).toBe(q3.variations[1]._id);
    expect((await flag('q3'))._version).toBe(q3._version);

    // The new flag's creation is in the audit log, as a flag's made by postFeatureFlag is; a reused flag's is not again.
    const created = (await s.get(`/api/v2/auditlog?limit=20&spec=${encodeURIComponent(`proj/${w.project}:env/*:flag/gated-flag`)}`)).body.items;
    expect(created.map((e: any) => [e.accesses, e.name])).toEqual([[[{ action: 'createFlag', resource: `proj/${w.project}:env/*:flag/gated-flag` }], 'Gated']]);
    const full = (await s.get(`/api/v2/auditlog/${created[0]._id}`)).body;
    expect(full.currentVersion).toEqual(gate);

    // Each environment lists only its own.
    const list = await s.get(holdouts('test'), BETA);
    expect(list.body.items.map((h: any) => h.key)).toEqual(['gated', 'q3']);
  });
});
