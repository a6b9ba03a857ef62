import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('patchExperiment: happy path', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());
  const patch = (key: string, instructions: unknown[], query = '') => s.patch(`${experimentsPath(w, key)}${query}`, { instructions });
  const fallthrough = async () => (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production;

  it('renames and describes, with either content type', async () => {
    await createExperimentIn(s, w, 'names');
    const plain = await patch('names', [{ kind: 'updateName', value: 'Renamed' }, { kind: 'updateDescription', value: 'About it' }]);
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ name: 'Renamed', description: 'About it' });
    const semantic = await s.request('PATCH', experimentsPath(w, 'names'), {
      raw: JSON.stringify({ comment: 'again', instructions: [{ kind: 'updateName', value: 'Semantic' }] }),
      headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' },
    });
    expect(semantic.status).toBe(200);
    expect(semantic.body.name).toBe('Semantic');
  });

  it('starts, and the flag rule becomes the experiment rollout; stops, and the rule ships the winner', async () => {
    await createExperimentIn(s, w, 'life', iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: await flagVersion(s, w.project, w.flag) } } }));
    const before = await fallthrough();
    const started = await patch('life', [{ kind: 'startIteration', changeJustification: 'go' }], '?expand=treatments');
    expect(started.status).toBe(200);
    expect(started.body.currentIteration).toMatchObject({ status: 'running', startedAt: expect.any(Number) });
    const running = await fallthrough();
    expect(running.version).toBe(before.version + 1);
    expect(running.fallthrough.rollout.variations).toEqual([
      { variation: 0, weight: 50000 },
      { variation: 1, weight: 50000 },
    ]);
    expect(running.fallthrough.rollout.experimentAllocation).toEqual({ defaultVariation: 0, canReshuffle: true });
    expect((await s.get(`${experimentsPath(w)}?filter=status:running`)).body.items.map((e: { key: string }) => e.key)).toEqual(['life']);

    const winner = started.body.currentIteration.treatments[1]._id;
    const stopped = await patch('life', [{ kind: 'stopIteration', winningTreatmentId: winner, winningReason: 'it won' }]);
    expect(stopped.body.currentIteration).toMatchObject({ status: 'stopped', winningTreatmentId: winner, winningReason: 'it won', endedAt: expect.any(Number) });
    const after = await fallthrough();
    expect(after.fallthrough).toEqual({ variation: 1 });
    expect(after.version).toBe(before.version + 2);
    // a stopped iteration is not restarted: a new one is needed
    const again = await patch('life', [{ kind: 'startIteration' }]);
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/no draft iteration/);
  });

  it('after a stop, a new draft takes the fields a draft may change; the stopped iteration keeps its own', async () => {
    const v = await createWorld(s, 'redraft');
    await createExperimentIn(s, v, 'redraft', iterationBody({ ...v, version: await flagVersion(s, v.project, v.flag) }));
    const path = experimentsPath(v, 'redraft');
    const started = await s.patch(`${path}?expand=treatments`, { instructions: [{ kind: 'startIteration' }] });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const stoppedId = started.body.currentIteration._id;
    expect((await s.patch(path, { instructions: [{ kind: 'stopIteration', winningTreatmentId: started.body.currentIteration.treatments[0]._id }] })).status).toBe(200);
    // Without a draft the stopped iteration's fields are history.
    const refused = await s.patch(path, { instructions: [{ kind: 'updateExperimentFields', value: { hypothesis: { operation: 'update', value: 'no' } } }] });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/hypothesis.*while the experiment is stopped/);
    const draft = await s.post(`${path}/iterations`, iterationBody({ ...v, version: await flagVersion(s, v.project, v.flag) }, { hypothesis: 'second' }));
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    const res = await s.patch(`${path}?expand=draftIteration`, {
      instructions: [{ kind: 'updateExperimentFields', value: { hypothesis: { operation: 'update', value: 'second, sharper' }, name: { operation: 'update', value: 'Redrafted' } } }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.name).toBe('Redrafted');
    expect(res.body.draftIteration).toMatchObject({ _id: draft.body._id, hypothesis: 'second, sharper', status: 'not_started' });
    expect(res.body.currentIteration).toMatchObject({ _id: stoppedId, status: 'stopped' });
    expect(res.body.currentIteration.hypothesis).not.toBe('second, sharper');
    // The experiment's own fields still follow the experiment's status.
    const methodology = await s.patch(path, { instructions: [{ kind: 'updateExperimentFields', value: { methodology: { operation: 'update', value: 'frequentist' } } }] });
    expect(methodology.status).toBe(400);
    expect(methodology.body.message).toMatch(/methodology.*while the experiment is stopped/);
  });

  it('a running experiment on part of the traffic leaves the rest of its flag editable (its rollout repeats the baseline)', async () => {
    const v = await createWorld(s, 'partial');
    // 25% each: the untracked half serves the baseline's variation too, so the rollout lists it twice.
    const body = iterationBody({ ...v, version: await flagVersion(s, v.project, v.flag) });
    (body.treatments as { allocationPercent: string }[]).forEach((t) => (t.allocationPercent = '25'));
    await createExperimentIn(s, v, 'partial', body);
    expect((await s.patch(experimentsPath(v, 'partial'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const flagPath = `/api/v2/flags/${v.project}/${v.flag}`;
    const turnedOff = await s.patch(flagPath, { environmentKey: 'production', instructions: [{ kind: 'turnFlagOff' }] });
    expect(turnedOff.status, JSON.stringify(turnedOff.body)).toBe(200);
    expect((await s.patch(flagPath, [{ op: 'replace', path: '/environments/production/trackEvents', value: true }])).status).toBe(200);
    expect((await s.patch(flagPath, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    // The rule it owns stays its own.
    expect((await s.patch(flagPath, [{ op: 'replace', path: '/environments/production/fallthrough', value: { variation: 0 } }])).status).toBe(409);
  });

  it('restarts with a new draft: the running iteration moves to previousIterations', async () => {
    const version = await flagVersion(s, w.project, w.flag);
    await createExperimentIn(s, w, 'restart', iterationBody(w, { flags: { [w.flag]: { ruleId: w.ruleId, flagConfigVersion: version } } }));
    await patch('restart', [{ kind: 'startIteration' }]);
    const first = (await s.get(experimentsPath(w, 'restart'))).body.currentIteration._id;
    await s.post(`${experimentsPath(w, 'restart')}/iterations`, iterationBody(w, { hypothesis: 'v2', flags: { [w.flag]: { ruleId: w.ruleId, flagConfigVersion: await flagVersion(s, w.project, w.flag) } } }));
    const res = await patch('restart', [{ kind: 'startIteration', changeJustification: 'v2' }], '?expand=previousIterations,draftIteration');
    expect(res.status).toBe(200);
    expect(res.body.currentIteration).toMatchObject({ hypothesis: 'v2', status: 'running' });
    expect(res.body.previousIterations).toEqual([expect.objectContaining({ _id: first, status: 'stopped', endedAt: expect.any(Number) })]);
    expect(res.body.draftIteration).toBeUndefined();
    const rule = (await fallthrough()).rules.find((r: { _id: string }) => r._id === w.ruleId);
    expect(rule.rollout.experimentAllocation).toBeDefined();
    const winner = res.body.currentIteration.flags[w.flag].notInExperimentVariationId;
    await patch('restart', [{ kind: 'stopIteration', winningTreatmentId: winner }]);
  });

  it('archives and restores; archived experiments list only with lifecycleState=archived', async () => {
    await createExperimentIn(s, w, 'old');
    const archived = await patch('old', [{ kind: 'archiveExperiment' }]);
    expect(archived.body.archivedDate).toEqual(expect.any(Number));
    const active = (await s.get(experimentsPath(w))).body.items.map((e: { key: string }) => e.key);
    expect(active).not.toContain('old');
    expect((await s.get(`${experimentsPath(w)}?lifecycleState=archived`)).body.items.map((e: { key: string }) => e.key)).toEqual(['old']);
    const refused = await patch('old', [{ kind: 'startIteration' }]);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/archived/);
    const restored = await patch('old', [{ kind: 'restoreExperiment' }]);
    expect(restored.body.archivedDate).toBeUndefined();
  });

  it('updateExperimentFields changes what the status allows, and mutableFieldsByStatus says what that is', async () => {
    await createExperimentIn(s, w, 'fields');
    const res = await patch(
      'fields',
      [{ kind: 'updateExperimentFields', value: { name: { operation: 'update', value: 'Fields' }, tags: { operation: 'add', value: ['a'] }, hypothesis: { operation: 'update', value: 'new hypothesis' } } }],
      '?expand=mutableFieldsByStatus',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Fields', tags: ['a'] });
    expect(res.body.currentIteration).toMatchObject({ hypothesis: 'new hypothesis', version: 1 });
    expect(res.body.mutableFieldsByStatus.running).toMatchObject({ name: ['update'], metrics: ['add'] });
  });

  it('updateExperimentFields removes a metric named as MetricInput ({key}, isGroup false when left out), by key, or as {key, isGroup}', async () => {
    await createExperimentIn(s, w, 'remove-metrics', iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, { metrics: [{ key: w.metric }, { key: w.numericMetric }, { key: w.standardGroup, isGroup: true }] }));
    const remove = async (value: unknown) => {
      const res = await patch('remove-metrics', [{ kind: 'updateExperimentFields', value: { metrics: { operation: 'remove', value } } }], '?expand=secondaryMetrics');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.currentIteration.metrics.map((m: { key: string }) => m.key);
    };
    expect(await remove([{ key: w.numericMetric }])).toEqual([w.metric, w.standardGroup]);
    expect(await remove([{ key: w.standardGroup, isGroup: true }])).toEqual([w.metric]);
  });

  it('a patch that changes nothing (archiving twice, restoring what is not archived, a name as it is, no fields) answers 200 and writes no audit entry', async () => {
    await createExperimentIn(s, w, 'no-op');
    const entries = async () => (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`proj/${w.project}:env/${w.env}:experiment/no-op`)}`)).body.items.length;
    const created = await entries();
    const archived = await patch('no-op', [{ kind: 'archiveExperiment' }]);
    expect(archived.status).toBe(200);
    expect(await entries()).toBe(created + 1);
    const again = await patch('no-op', [{ kind: 'archiveExperiment' }]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(archived.body);
    expect(await entries()).toBe(created + 1);
    expect((await patch('no-op', [{ kind: 'restoreExperiment' }])).status).toBe(200);
    expect(await entries()).toBe(created + 2);
    for (const instructions of [[{ kind: 'restoreExperiment' }], [{ kind: 'updateName', value: 'Experiment no-op' }], [{ kind: 'updateExperimentFields', value: {} }]]) {
      expect((await patch('no-op', instructions)).status, JSON.stringify(instructions)).toBe(200);
    }
    expect(await entries()).toBe(created + 2);
  });

  it("an iteration of an experiment that is no bandit stored with a reallocationFrequencyMillis (before it was refused) shows none, and updating it drops it", async () => {
    await createExperimentIn(s, w, 'legacy-reallocation');
    const experiment = await s.store.db.selectFrom('experiments').select('id').where('key', '=', 'legacy-reallocation').executeTakeFirstOrThrow();
    const row = await s.store.db.selectFrom('iterations').select(['id', 'doc']).where('experiment_id', '=', experiment.id).executeTakeFirstOrThrow();
    await s.store.db.updateTable('iterations').set({ doc: JSON.stringify({ ...JSON.parse(row.doc), reallocationFrequencyMillis: 60_000 }) }).where('id', '=', row.id).execute();
    const read = await s.get(`${experimentsPath(w, 'legacy-reallocation')}?expand=draftIteration`);
    expect(read.body.currentIteration).not.toHaveProperty('reallocationFrequencyMillis');
    const updated = await patch('legacy-reallocation', [{ kind: 'updateExperimentFields', value: { hypothesis: { operation: 'update', value: 'Still no bandit' } } }]);
    expect(updated.status).toBe(200);
    expect(updated.body.currentIteration.hypothesis).toBe('Still no bandit');
    const stored = await s.store.db.selectFrom('iterations').select('doc').where('experiment_id', '=', experiment.id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.doc)).not.toHaveProperty('reallocationFrequencyMillis');
  });

  it('a treatment over two flags keeps its id when the running iteration gains a metric', async () => {
    const second = await s.post(`/api/v2/flags/${w.project}`, { name: 'Banner', key: 'banner' });
    expect(second.status).toBe(201);
    await s.patch(`/api/v2/flags/${w.project}/banner`, [{ op: 'replace', path: '/environments/production/on', value: true }]);
    const banner = second.body.variations.map((v: { _id: string }) => v._id);
    const flags = {
      [w.flag]: { ruleId: w.ruleId, flagConfigVersion: await flagVersion(s, w.project, w.flag) },
      banner: { ruleId: 'fallthrough', flagConfigVersion: await flagVersion(s, w.project, 'banner') },
    };
    const treatments = [0, 1].map((i) => ({
      name: i === 0 ? 'Control' : 'Both green',
      baseline: i === 0,
      allocationPercent: '50',
      parameters: [{ flagKey: w.flag, variationId: w.variations[i] }, { flagKey: 'banner', variationId: banner[i] }],
    }));
    await createExperimentIn(s, w, 'two-flags', iterationBody(w, { flags, treatments, metrics: [{ key: w.metric }] }));
    const started = await patch('two-flags', [{ kind: 'startIteration' }], '?expand=treatments');
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const ids = started.body.currentIteration.treatments.map((t: { _id: string }) => t._id);
    // One seed and one layout on both flags: a unit falls in the same bucket, so gets the same treatment, on each.
    const ruleRollout = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments[w.env].rules.find((r: { _id: string }) => r._id === w.ruleId).rollout;
    const fallthroughRollout = (await s.get(`/api/v2/flags/${w.project}/banner`)).body.environments[w.env].fallthrough.rollout;
    expect(ruleRollout.seed).toEqual(expect.any(Number));
    expect(fallthroughRollout.seed).toBe(ruleRollout.seed);
    expect(fallthroughRollout.variations).toEqual(ruleRollout.variations);
    const added = await patch('two-flags', [{ kind: 'updateExperimentFields', value: { metrics: { operation: 'add', value: [{ key: w.numericMetric }] } } }], '?expand=treatments');
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.currentIteration.treatments.map((t: { _id: string }) => t._id)).toEqual(ids);
    const stopped = await patch('two-flags', [{ kind: 'stopIteration', winningTreatmentId: ids[1] }]);
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
  });

  it("a start that moves the experiment to another rule is one change of the flag: its environment's version and _version each go up by one", async () => {
    const v = await createWorld(s, 'rule-move');
    await createExperimentIn(s, v, 'move', iterationBody(v, { flags: { [v.flag]: { ruleId: v.ruleId, flagConfigVersion: v.version } } }));
    expect((await s.patch(experimentsPath(v, 'move'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const drafted = await s.post(`${experimentsPath(v, 'move')}/iterations`, iterationBody({ ...v, version: await flagVersion(s, v.project, v.flag) }));
    expect(drafted.status).toBe(200);
    const before = (await s.get(`/api/v2/flags/${v.project}/${v.flag}`)).body;
    const moved = await s.patch(experimentsPath(v, 'move'), { instructions: [{ kind: 'startIteration', changeJustification: 'to the default rule' }] });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const after = (await s.get(`/api/v2/flags/${v.project}/${v.flag}`)).body;
    expect(after.environments[v.env].version).toBe(before.environments[v.env].version + 1);
    expect(after._version).toBe(before._version + 1);
    // The rule got its own targeting back; the fallthrough rolls out.
    expect(after.environments[v.env].rules[0].variation).toBe(0);
    expect(after.environments[v.env].fallthrough.rollout).toBeDefined();
  });

  it('saveAndStartNewIteration starts a copy of the current iteration with changes applied', async () => {
    await createExperimentIn(s, w, 'save', iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: await flagVersion(s, w.project, w.flag) } } }));
    await patch('save', [{ kind: 'startIteration' }]);
    const res = await patch('save', [{ kind: 'saveAndStartNewIteration', value: { hypothesis: { operation: 'update', value: 'saved' } } }], '?expand=previousIterations');
    expect(res.status).toBe(200);
    expect(res.body.currentIteration).toMatchObject({ hypothesis: 'saved', status: 'running' });
    expect(res.body.previousIterations).toHaveLength(1);
    const winner = res.body.currentIteration.flags[w.flag].notInExperimentVariationId;
    await patch('save', [{ kind: 'stopIteration', winningTreatmentId: winner }]);
  });
});

// A start queued behind another (the experiment's lock) read the clock before it waited, so its time can be earlier
// than the start it follows; so can another instance's clock. The later start must still be the current iteration.
describe('patchExperiment: a start whose clock is behind the one before it', () => {
  let s: TestServer;
  let w: World;
  let clock = 2_000_000_000_000;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
  });
  afterAll(() => s.close());
  const patch = (instructions: unknown[]) => s.patch(`${experimentsPath(w, 'late')}?expand=previousIterations`, { instructions });

  it('starts after the running iteration all the same, which stops then, and the experiment stays consistent', async () => {
    await createExperimentIn(s, w, 'late');
    const first = await patch([{ kind: 'startIteration' }]);
    expect(first.status).toBe(200);
    const firstStart = first.body.currentIteration.startedAt as number;
    expect(firstStart).toBe(clock);

    const version = await flagVersion(s, w.project, w.flag);
    const draft = await s.post(`${experimentsPath(w, 'late')}/iterations`, iterationBody(w, { flags: { [w.flag]: { ruleId: w.ruleId, flagConfigVersion: version } } }));
    expect(draft.status).toBe(200);
    clock -= 60_000;
    const second = await patch([{ kind: 'startIteration', changeJustification: 'queued behind the first' }]);
    expect(second.status).toBe(200);
    expect(second.body.currentIteration).toMatchObject({ _id: draft.body._id, status: 'running', startedAt: firstStart + 1 });
    expect(second.body.previousIterations).toEqual([expect.objectContaining({ _id: first.body.currentIteration._id, status: 'stopped', endedAt: firstStart + 1 })]);
    expect((await s.get(experimentsPath(w, 'late'))).body.currentIteration).toMatchObject({ _id: draft.body._id, status: 'running' });

    // The running iteration is the one a stop finds, and a stopped experiment may be archived.
    const stopped = await patch([{ kind: 'stopIteration', winningTreatmentId: w.variations[0] }]);
    expect(stopped.status).toBe(200);
    expect(stopped.body.currentIteration).toMatchObject({ _id: draft.body._id, status: 'stopped', endedAt: firstStart + 1 });
    expect((await s.get(`${experimentsPath(w)}?filter=status:stopped`)).body.items.map((e: { key: string }) => e.key)).toContain('late');
    expect((await patch([{ kind: 'archiveExperiment' }])).status).toBe(200);
  });
});
