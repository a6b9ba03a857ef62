// The official REST client (launchdarkly-api-typescript) drives the holdout routes (beta) over real HTTP, unchanged:
// postHoldout, an experiment created in it with ExperimentsApi.createExperiment({holdoutId}), started with
// patchExperiment, getHoldout with expand, getAllHoldouts, patchHoldout (updateName, updateDescription, endHoldout),
// getHoldoutById, and LaunchDarkly's {code, message} on a bad holdoutamount, a missing holdout and a missing beta header.
// The client sends LD-API-Version only as configured (its HoldoutsBetaApi sets no header of its own), so the
// beta header goes in baseOptions, as LaunchDarkly's docs have users of its beta APIs do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AxiosError } from 'axios';
import {
  Configuration,
  ExperimentsApi,
  FeatureFlagsApi,
  HoldoutsBetaApi,
  MetricsApi,
  ProjectsApi,
  type Experiment,
  type HoldoutDetailRep,
  type HoldoutRep,
  type HoldoutsCollectionRep,
  type IterationInput,
  type SimpleHoldoutRep,
} from 'launchdarkly-api-typescript';
import { startServer, type TestServer } from './support/server.js';

const P = 'holdout-client';
const E = 'production';

/** The client's error for a refused call: its HTTP status and LaunchDarkly's error body. */
async function failure(call: Promise<unknown>): Promise<{ status: number; data: { code: string; message: string; errors?: { attribute: string; reason: string }[] } }> {
  const err = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as AxiosError<{ code: string; message: string; errors?: { attribute: string; reason: string }[] }>,
  );
  expect(err.isAxiosError, String(err)).toBe(true);
  return { status: err.response!.status, data: err.response!.data };
}

/**
 * Every field the client's type declares required is present with the declared JSON type: the client deserializes
 * with JSON.parse and no checks, so a field iterlab left out or typed differently would reach the caller's code
 * as `undefined` or the wrong type. Returns the problems found, each naming the field.
 */
function experimentProblems(at: string, e: Experiment): string[] {
  const problems: string[] = [];
  const need = (field: string, value: unknown, type: string) => {
    if (typeof value !== type) problems.push(`${at}.${field} is ${JSON.stringify(value)}, the client types it ${type}`);
  };
  need('key', e.key, 'string');
  need('name', e.name, 'string');
  need('_maintainerId', e._maintainerId, 'string');
  need('_creationDate', e._creationDate, 'number');
  need('environmentKey', e.environmentKey, 'string');
  need('_links', e._links, 'object');
  for (const [name, it] of [
    ['currentIteration', e.currentIteration],
    ['draftIteration', e.draftIteration],
  ] as const) {
    if (it === undefined) continue;
    need(`${name}.hypothesis`, it.hypothesis, 'string');
    need(`${name}.status`, it.status, 'string');
    need(`${name}.createdAt`, it.createdAt, 'number');
    for (const [i, t] of (it.treatments ?? []).entries()) {
      need(`${name}.treatments[${i}].name`, t.name, 'string');
      need(`${name}.treatments[${i}].allocationPercent`, t.allocationPercent, 'string');
    }
    for (const [key, f] of Object.entries(it.flags ?? {})) need(`${name}.flags.${key}._links`, f._links, 'object');
  }
  return problems;
}

function holdoutProblems(h: HoldoutRep | HoldoutDetailRep): string[] {
  const problems: string[] = [];
  const need = (field: string, value: unknown, type: string) => {
    if (typeof value !== type) problems.push(`${field} is ${JSON.stringify(value)}, the client types it ${type}`);
  };
  need('_id', h._id, 'string');
  need('status', h.status, 'string');
  if (!['created', 'enabled', 'running', 'ended'].includes(h.status)) problems.push(`status "${h.status}" is not one of the client's HoldoutRepStatusEnum`);
  need('holdoutAmount', h.holdoutAmount, 'string');
  need('createdAt', h.createdAt, 'number');
  need('updatedAt', h.updatedAt, 'number');
  need('baseExperiment', h.baseExperiment, 'object');
  if (h.baseExperiment) problems.push(...experimentProblems('baseExperiment', h.baseExperiment));
  if ('relatedExperiments' in h && h.relatedExperiments) h.relatedExperiments.forEach((e, i) => problems.push(...experimentProblems(`relatedExperiments[${i}]`, e)));
  return problems;
}

describe('holdouts through launchdarkly-api-typescript (HoldoutsBetaApi)', () => {
  let s: TestServer;
  let holdouts: HoldoutsBetaApi;
  let experiments: ExperimentsApi;
  let flags: FeatureFlagsApi;
  let iteration: (hypothesis: string) => Promise<IterationInput>;
  /** The holdout's _id, as postHoldout answered it. */
  let holdoutId: string;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    const admin = new Configuration({ apiKey: s.tokens.admin, basePath: s.url });
    holdouts = new HoldoutsBetaApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } }));
    const writer = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    experiments = new ExperimentsApi(writer);
    flags = new FeatureFlagsApi(writer);
    await new ProjectsApi(admin).postProject({ name: 'Holdouts client', key: P });
    await new MetricsApi(writer).postMetric(P, { key: 'checkout-completed', name: 'Checkout completed', kind: 'custom', eventKey: 'checkout', isNumeric: false });
    const flag = await flags.postFeatureFlag(P, { name: 'Checkout button', key: 'checkout-button' });
    const [control, green] = flag.data.variations.map((v) => v._id!);
    await flags.patchFeatureFlag(P, 'checkout-button', { patch: [{ op: 'replace', path: `/environments/${E}/on`, value: true }] });
    iteration = async (hypothesis) => {
      const version = (await flags.getFeatureFlag(P, 'checkout-button')).data.environments![E].version;
      return {
        hypothesis,
        metrics: [{ key: 'checkout-completed', isGroup: false }],
        primarySingleMetricKey: 'checkout-completed',
        randomizationUnit: 'user',
        treatments: [
          { name: 'Control', baseline: true, allocationPercent: '50', parameters: [{ flagKey: 'checkout-button', variationId: control }] },
          { name: 'Green', baseline: false, allocationPercent: '50', parameters: [{ flagKey: 'checkout-button', variationId: green }] },
        ],
        flags: { 'checkout-button': { ruleId: 'fallthrough', flagConfigVersion: version } },
      };
    };
  });
  afterAll(() => s.close());

  it('postHoldout answers a typed HoldoutRep: status created, holdoutAmount, a base experiment splitting In / Not in holdout', async () => {
    const created = await holdouts.postHoldout(P, E, {
      name: 'Q3 holdout',
      key: 'q3',
      description: 'Everything shipped in Q3',
      holdoutamount: '5',
      randomizationunit: 'user',
      metrics: [{ key: 'checkout-completed', isGroup: false, primary: true }],
    });
    expect(created.status).toBe(201);
    const rep: HoldoutRep = created.data;
    expect(holdoutProblems(rep)).toEqual([]);
    expect(rep).toMatchObject({ status: 'created', description: 'Everything shipped in Q3', holdoutAmount: '5', experiments: [] });
    expect(rep._id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rep.updatedAt).toBe(rep.createdAt);
    const base: Experiment = rep.baseExperiment;
    expect(base).toMatchObject({ key: 'q3', name: 'Q3 holdout', description: 'Everything shipped in Q3', environmentKey: E });
    expect(base.holdoutId).toBeUndefined();
    expect(base.currentIteration!.status).toBe('not_started');
    expect(base.currentIteration!.randomizationUnit).toBe('user');
    expect(base.currentIteration!.treatments!.map((t) => [t.name, t.allocationPercent, t.baseline])).toEqual([
      ['In holdout', '5', true],
      ['Not in holdout', '95', false],
    ]);
    expect(Object.keys(base.currentIteration!.flags!)).toEqual(['q3']);
    expect(base._links.self.href).toBe(`/api/v2/projects/${P}/environments/${E}/experiments/q3`);
    holdoutId = rep._id;

    // The holdout's flag is a project flag like any other, read through FeatureFlagsApi.
    const flag = (await flags.getFeatureFlag(P, 'q3')).data;
    expect(flag.kind).toBe('boolean');
    expect(flag.variations.map((v) => [v.name, v.value])).toEqual([
      ['In holdout', true],
      ['Not in holdout', false],
    ]);
    expect(flag.environments![E].on).toBe(false);
  });

  it('createExperiment with holdoutId puts the experiment in the holdout; it is then enabled', async () => {
    const created = await experiments.createExperiment(P, E, { name: 'Green button', key: 'green-button', holdoutId, iteration: await iteration('Green lifts checkout') });
    expect(created.status).toBe(201);
    expect(created.data.holdoutId).toBe(holdoutId);
    expect(experimentProblems('createExperiment', created.data)).toEqual([]);
    expect((await experiments.getExperiment(P, E, 'green-button')).data.holdoutId).toBe(holdoutId);

    const enabled = await holdouts.getHoldout(P, E, 'q3');
    const rep: HoldoutDetailRep = enabled.data;
    expect(holdoutProblems(rep)).toEqual([]);
    expect(rep).toMatchObject({ _id: holdoutId, status: 'enabled', isDirty: false, holdoutAmount: '5' });
    expect(rep.relatedExperiments!.map((e) => [e.key, e.holdoutId])).toEqual([['green-button', holdoutId]]);

    // A holdout of another environment, or one that is not there, is refused by name.
    const unknown = await failure(experiments.createExperiment(P, 'test', { name: 'Elsewhere', key: 'elsewhere', holdoutId, iteration: await iteration('h') }));
    expect(unknown.status).toBe(400);
    expect(unknown.data.code).toBe('invalid_request');
    expect(unknown.data.errors?.map((e) => e.attribute)).toContain('holdoutId');
  });

  it('starting the experiment with patchExperiment starts the holdout: getHoldout with expand shows both running', async () => {
    const started = await experiments.patchExperiment(P, E, 'green-button', { instructions: [{ kind: 'startIteration' }] });
    expect(started.data.currentIteration!.status).toBe('running');

    const read = await holdouts.getHoldout(P, E, 'q3', 'draftIteration,treatments,secondaryMetrics,previousIterations,rel-treatments,rel-metrics,rel-previousIterations');
    const rep: HoldoutDetailRep = read.data;
    expect(holdoutProblems(rep)).toEqual([]);
    expect(rep).toMatchObject({ status: 'running', isDirty: true });
    expect(rep.baseExperiment.currentIteration!.status).toBe('running');
    expect(rep.baseExperiment.currentIteration!.startedAt).toEqual(expect.any(Number));
    expect(rep.baseExperiment.currentIteration!.treatments!.map((t) => t.name)).toEqual(['In holdout', 'Not in holdout']);
    // As getExperiment does, an expanded previousIterations is left out while there are none.
    expect(rep.baseExperiment.previousIterations).toBeUndefined();
    const [member] = rep.relatedExperiments!;
    expect(member.key).toBe('green-button');
    expect(member.currentIteration!.status).toBe('running');
    expect(member.currentIteration!.treatments!.map((t) => t.name)).toEqual(['Control', 'Green']);
    expect(member.previousIterations).toBeUndefined();

    // Without expand the base experiment still carries its current iteration; the members' treatments are not shown.
    const plain = (await holdouts.getHoldout(P, E, 'q3')).data;
    expect(plain.relatedExperiments![0].currentIteration!.treatments).toBeUndefined();

    // While the holdout runs its flag splits contexts, and the member's flag has it as a prerequisite.
    const holdoutFlag = (await flags.getFeatureFlag(P, 'q3')).data.environments![E];
    expect(holdoutFlag.on).toBe(true);
    expect(holdoutFlag.fallthrough!.rollout!.variations.map((v) => [v.variation, v.weight])).toEqual([
      [0, 5000],
      [1, 95000],
    ]);
    expect((await flags.getFeatureFlag(P, 'checkout-button')).data.environments![E].prerequisites).toEqual([{ key: 'q3', variation: 1 }]);
  });

  it('getAllHoldouts lists SimpleHoldoutReps with their experiments, and pages', async () => {
    await holdouts.postHoldout(P, E, { name: 'Second', key: 'second', holdoutamount: '2.5', primarymetrickey: 'checkout-completed' });
    const all = await holdouts.getAllHoldouts(P, E);
    expect(all.status).toBe(200);
    const list: HoldoutsCollectionRep = all.data;
    expect(list.total_count).toBe(2);
    const items: SimpleHoldoutRep[] = list.items!;
    expect(items.map((h) => [h.key, h.name, h.status])).toEqual([
      ['q3', 'Q3 holdout', 'running'],
      ['second', 'Second', 'created'],
    ]);
    expect(items[0]).toMatchObject({ _id: holdoutId, experiments: [{ key: 'green-button', name: 'Green button', environment: E }] });
    expect(items[0].createdAt).toEqual(expect.any(Number));
    expect(items[1].experiments).toEqual([]);
    expect(list._links!.self.href).toBe(`/api/v2/projects/${P}/environments/${E}/holdouts?limit=20&offset=0`);

    const page = (await holdouts.getAllHoldouts(P, E, 1, 1)).data;
    expect(page.total_count).toBe(2);
    expect(page.items!.map((h) => h.key)).toEqual(['second']);
    // The other environment has none.
    expect((await holdouts.getAllHoldouts(P, 'test')).data).toMatchObject({ items: [], total_count: 0 });
  });

  it('patchHoldout renames (updateName, updateDescription with value) and ends the holdout (endHoldout)', async () => {
    const renamed = await holdouts.patchHoldout(P, E, 'q3', {
      comment: 'clearer name',
      instructions: [
        { kind: 'updateName', value: 'Q3 2026 holdout' },
        { kind: 'updateDescription', value: 'All Q3 2026 launches' },
      ],
    });
    expect(renamed.status).toBe(200);
    const rep: HoldoutRep = renamed.data;
    expect(holdoutProblems(rep)).toEqual([]);
    expect(rep).toMatchObject({ _id: holdoutId, status: 'running', description: 'All Q3 2026 launches' });
    expect(rep.baseExperiment).toMatchObject({ key: 'q3', name: 'Q3 2026 holdout', description: 'All Q3 2026 launches' });
    expect(rep.updatedAt).toBeGreaterThanOrEqual(rep.createdAt);
    expect((await holdouts.getAllHoldouts(P, E)).data.items![0].name).toBe('Q3 2026 holdout');

    const ended = await holdouts.patchHoldout(P, E, 'q3', { instructions: [{ kind: 'endHoldout' }] });
    expect(ended.status).toBe(200);
    expect(holdoutProblems(ended.data)).toEqual([]);
    expect(ended.data.status).toBe('ended');
    expect(ended.data.baseExperiment.currentIteration!.status).toBe('stopped');
    expect(ended.data.experiments).toEqual([{ key: 'green-button', name: 'Green button', environment: E }]);
    // Ending takes the holdout's flag off its experiments' flags; "Not in holdout" is then served to everyone.
    expect((await flags.getFeatureFlag(P, 'checkout-button')).data.environments![E].prerequisites).toEqual([]);
    expect((await flags.getFeatureFlag(P, 'q3')).data.environments![E].fallthrough).toEqual({ variation: 1 });
    // An ended holdout takes no more experiments.
    const late = await failure(experiments.createExperiment(P, E, { name: 'Late', key: 'late', holdoutId, iteration: await iteration('late') }));
    expect(late.status).toBe(400);
    expect(late.data.errors?.map((e) => e.attribute)).toContain('holdoutId');
  });

  it('getHoldoutById reads the holdout by the _id experiments carry in holdoutId', async () => {
    const byId = await holdouts.getHoldoutById(P, E, holdoutId);
    expect(byId.status).toBe(200);
    // The client types it HoldoutRep, as the spec does: the experiments in it are `experiments` (RelatedExperimentRep).
    const rep: HoldoutRep = byId.data;
    expect(holdoutProblems(rep)).toEqual([]);
    expect(rep).toMatchObject({ _id: holdoutId, status: 'ended', description: 'All Q3 2026 launches', holdoutAmount: '5' });
    expect(rep).not.toHaveProperty('relatedExperiments');
    expect(rep.baseExperiment.name).toBe('Q3 2026 holdout');
    expect(rep.experiments).toEqual([{ key: 'green-button', name: expect.any(String), environment: E }]);
    // The same holdout as getHoldout answers in its own shape.
    const detail: HoldoutDetailRep = (await holdouts.getHoldout(P, E, 'q3')).data;
    expect(detail.relatedExperiments!.map((e) => e.key)).toEqual(['green-button']);
    expect(detail.baseExperiment._id).toBe(rep.baseExperiment._id);

    const missing = await failure(holdouts.getHoldoutById(P, E, '00000000-0000-4000-8000-000000000000'));
    expect(missing).toMatchObject({ status: 404, data: { code: 'not_found' } });
    expect(missing.data.message).toMatch(/00000000-0000-4000-8000-000000000000/);
  });

  it('surfaces LaunchDarkly\'s errors: 400 for a bad holdoutamount, 404 for a missing holdout, 403 without the beta header', async () => {
    for (const holdoutamount of ['0', '100', '-5', 'ten', '5.0001', '']) {
      const bad = await failure(holdouts.postHoldout(P, E, { name: 'Bad', key: `bad-${holdoutamount.length}`, holdoutamount, primarymetrickey: 'checkout-completed' }));
      expect(bad.status, holdoutamount).toBe(400);
      expect(bad.data.code).toBe('invalid_request');
      expect(bad.data.errors?.map((e) => e.attribute), holdoutamount).toEqual(['holdoutamount']);
    }
    // Nothing was created by the refusals.
    expect((await holdouts.getAllHoldouts(P, E)).data.total_count).toBe(2);
    expect((await failure(flags.getFeatureFlag(P, 'bad-1'))).status).toBe(404);

    const duplicate = await failure(holdouts.postHoldout(P, E, { name: 'Again', key: 'q3', holdoutamount: '5', primarymetrickey: 'checkout-completed' }));
    // A second holdout of a key is a conflict, as a second experiment of a key is (postHoldout's spec lists only 201 and 400).
    expect(duplicate).toMatchObject({ status: 409, data: { code: 'conflict' } });
    expect(duplicate.data.message).toMatch(/"q3" already exists/);

    expect(await failure(holdouts.getHoldout(P, E, 'nope'))).toMatchObject({ status: 404, data: { code: 'not_found' } });
    expect(await failure(holdouts.patchHoldout(P, E, 'nope', { instructions: [{ kind: 'endHoldout' }] }))).toMatchObject({ status: 404, data: { code: 'not_found' } });
    const unknownKind = await failure(holdouts.patchHoldout(P, E, 'second', { instructions: [{ kind: 'startHoldout' }] }));
    expect(unknownKind).toMatchObject({ status: 400, data: { code: 'invalid_request' } });

    const withoutBeta = new HoldoutsBetaApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    const forbidden = await failure(withoutBeta.getAllHoldouts(P, E));
    expect(forbidden).toMatchObject({ status: 403, data: { code: 'forbidden' } });
    expect(forbidden.data.message).toMatch(/beta/);
    const reader = new HoldoutsBetaApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } }));
    expect((await reader.getHoldout(P, E, 'second')).status).toBe(200);
    expect(await failure(reader.patchHoldout(P, E, 'second', { instructions: [{ kind: 'updateName', value: 'x' }] }))).toMatchObject({ status: 403, data: { code: 'forbidden' } });
  });
});
