// End to end through the official `launchdarkly-api-typescript` 17.x client, over real HTTP: the whole story from
// an empty server to a stopped experiment, reading the flag after every lifecycle step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxiosError } from 'axios';
import {
  AccessTokensApi,
  Configuration,
  ExperimentsApi,
  FeatureFlagsApi,
  MetricsApi,
  MetricsBetaApi,
  ProjectsApi,
  type IterationInput,
} from 'launchdarkly-api-typescript';
import { startServer, type TestServer } from './support/server.js';

async function status(promise: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    await promise;
    return { status: 200, data: undefined };
  } catch (err) {
    const response = (err as AxiosError).response;
    if (!response) throw err;
    return { status: response.status, data: response.data };
  }
}

describe('official launchdarkly-api-typescript client', () => {
  let s: TestServer;
  let config: Configuration;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    config = new Configuration({ apiKey: s.tokens.admin, basePath: s.url });
  });
  afterAll(() => s.close());

  const P = 'client-proj';
  const E = 'production';

  it('runs the whole story: project, flag on, metric, experiment, iterations, start, restart, stop, archive, restore', async () => {
    const projects = new ProjectsApi(config);
    const flags = new FeatureFlagsApi(config);
    const metrics = new MetricsApi(config);
    const experiments = new ExperimentsApi(config);

    const project = await projects.postProject({ name: 'Client project', key: P });
    expect(project.status).toBe(201);
    expect(project.data.environments.map((e) => e.key)).toEqual(['production', 'test']);

    const flag = await flags.postFeatureFlag(P, { name: 'Checkout button', key: 'checkout-button' });
    expect(flag.status).toBe(201);
    const [control, green] = flag.data.variations.map((v) => v._id!);

    const on = await flags.patchFeatureFlag(P, 'checkout-button', { comment: 'turn on', patch: [{ op: 'replace', path: `/environments/${E}/on`, value: true }] });
    expect(on.data.environments![E].on).toBe(true);
    const version = on.data.environments![E].version;

    const settings = await experiments.putExperimentationSettings(P, {
      randomizationUnits: [{ randomizationUnit: 'user', default: true, standardRandomizationUnit: 'user' }],
    });
    expect(settings.data.randomizationUnits![0]).toMatchObject({ randomizationUnit: 'user', default: true });

    const metric = await metrics.postMetric(P, { key: 'checkout-completed', name: 'Checkout completed', kind: 'custom', eventKey: 'checkout', isNumeric: false });
    expect(metric.status).toBe(201);

    const iteration = (hypothesis: string, allocations: [string, string], extra: Partial<IterationInput> = {}): IterationInput => ({
      hypothesis,
      metrics: [{ key: 'checkout-completed', isGroup: false }],
      primarySingleMetricKey: 'checkout-completed',
      treatments: [
        { name: 'Control', baseline: true, allocationPercent: allocations[0], parameters: [{ flagKey: 'checkout-button', variationId: control }] },
        { name: 'Green', baseline: false, allocationPercent: allocations[1], parameters: [{ flagKey: 'checkout-button', variationId: green }] },
      ],
      flags: { 'checkout-button': { ruleId: 'fallthrough', flagConfigVersion: version } },
      ...extra,
    });

    const created = await experiments.createExperiment(P, E, { name: 'Checkout', key: 'checkout', iteration: iteration('first', ['50', '50']) });
    expect(created.status).toBe(201);
    expect(created.data.currentIteration?.status).toBe('not_started');

    const draft = await experiments.createIteration(P, E, 'checkout', iteration('second', ['25', '25']));
    expect(draft.status).toBe(200);
    expect(draft.data).toMatchObject({ status: 'not_started', hypothesis: 'second', canReshuffleTraffic: true, randomizationUnit: 'user' });
    expect(draft.data.treatments!.map((t) => t._id)).toEqual([control, green]);

    const read = await experiments.getExperiment(P, E, 'checkout', 'draftIteration,treatments,secondaryMetrics,previousIterations');
    expect(read.data.draftIteration!._id).toBe(draft.data._id);
    expect(read.data.currentIteration!._id).toBe(draft.data._id);

    // start: the fallthrough becomes a 25/25 experiment with the other 50% untracked on the baseline
    const started = await experiments.patchExperiment(P, E, 'checkout', { instructions: [{ kind: 'startIteration' }] });
    expect(started.data.currentIteration!.status).toBe('running');
    let f = (await flags.getFeatureFlag(P, 'checkout-button')).data.environments![E];
    const rollout1 = f.fallthrough!.rollout!;
    expect(rollout1.variations).toEqual([
      { variation: 0, weight: 25000 },
      { variation: 1, weight: 25000 },
      { variation: 0, weight: 50000, _untracked: true },
    ]);
    expect(rollout1.experimentAllocation).toEqual({ defaultVariation: 0, canReshuffle: true });
    expect(rollout1.seed).toBeGreaterThan(0);
    expect(rollout1.contextKind).toBe('user');
    expect(f.version).toBe(version + 1);

    // while it runs, the fallthrough belongs to the experiment
    const blocked = await status(flags.patchFeatureFlag(P, 'checkout-button', { patch: [{ op: 'replace', path: `/environments/${E}/fallthrough`, value: { variation: 1 } }] }));
    expect(blocked.status).toBe(409);
    expect(blocked.data.message).toMatch(/running experiment "checkout"/);

    // restart with a new draft that keeps traffic where it is
    await experiments.createIteration(P, E, 'checkout', iteration('third', ['30', '30'], { canReshuffleTraffic: false, flags: { 'checkout-button': { ruleId: 'fallthrough', flagConfigVersion: f.version } } }));
    const noJustification = await status(experiments.patchExperiment(P, E, 'checkout', { instructions: [{ kind: 'startIteration' }] }));
    expect(noJustification.status).toBe(400);
    expect(noJustification.data.message).toMatch(/changeJustification is required/);
    const restarted = await experiments.patchExperiment(P, E, 'checkout', { comment: 'more traffic', instructions: [{ kind: 'startIteration', changeJustification: 'widen' }] }, { params: { expand: 'previousIterations' } });
    expect(restarted.data.currentIteration!.hypothesis).toBe('third');
    expect(restarted.data.previousIterations!.map((it) => it.status)).toEqual(['stopped']);
    f = (await flags.getFeatureFlag(P, 'checkout-button')).data.environments![E];
    const rollout2 = f.fallthrough!.rollout!;
    expect(rollout2.seed).toBe(rollout1.seed);
    expect(rollout2.experimentAllocation).toEqual({ defaultVariation: 0, canReshuffle: false });
    expect(rollout2.variations).toEqual([
      { variation: 0, weight: 25000 },
      { variation: 1, weight: 25000 },
      { variation: 0, weight: 5000 },
      { variation: 1, weight: 5000 },
      { variation: 0, weight: 40000, _untracked: true },
    ]);
    expect(f.version).toBe(version + 2);

    // stop with a winner: the fallthrough ships Green
    const stopped = await experiments.patchExperiment(P, E, 'checkout', { instructions: [{ kind: 'stopIteration', winningTreatmentId: green, winningReason: 'clear win' }] });
    expect(stopped.data.currentIteration).toMatchObject({ status: 'stopped', winningTreatmentId: green, winningReason: 'clear win' });
    f = (await flags.getFeatureFlag(P, 'checkout-button')).data.environments![E];
    expect(f.fallthrough).toEqual({ variation: 1 });
    expect(f.version).toBe(version + 3);

    // archive hides it from the default list; restore brings it back
    await experiments.patchExperiment(P, E, 'checkout', { instructions: [{ kind: 'archiveExperiment' }] });
    expect((await experiments.getExperiments(P, E)).data.total_count).toBe(0);
    const archived = (await experiments.getExperiments(P, E, undefined, undefined, undefined, undefined, 'archived')).data;
    expect(archived.items.map((e) => e.key)).toEqual(['checkout']);
    expect(archived.items[0].archivedDate).toEqual(expect.any(Number));
    await experiments.patchExperiment(P, E, 'checkout', { instructions: [{ kind: 'restoreExperiment' }] });
    const restored = await experiments.getExperiment(P, E, 'checkout');
    expect(restored.data.archivedDate).toBeUndefined();
  });

  it('every wrong call gets LaunchDarkly’s error: 400, 401, 403, 404, 409', async () => {
    const experiments = new ExperimentsApi(config);
    const missing = await status(experiments.createIteration(P, E, 'nope', { hypothesis: 'h', metrics: [], treatments: [], flags: {} }));
    expect(missing).toMatchObject({ status: 404, data: { code: 'not_found' } });
    const invalid = await status(experiments.createIteration(P, E, 'checkout', { hypothesis: 'h', metrics: [], treatments: [], flags: {} }));
    expect(invalid.status).toBe(400);
    expect(invalid.data.code).toBe('invalid_request');
    expect(invalid.data.errors.map((e: { attribute: string }) => e.attribute)).toEqual(expect.arrayContaining(['primarySingleMetricKey', 'treatments']));

    const anonymous = new ExperimentsApi(new Configuration({ basePath: s.url }));
    expect(await status(anonymous.getExperiments(P, E))).toMatchObject({ status: 401, data: { code: 'unauthorized' } });

    const tokens = new AccessTokensApi(config);
    const reader = await tokens.postToken({ name: 'reader', role: 'reader' });
    expect(reader.data.token).toMatch(/^api-[0-9a-f-]{36}$/);
    const asReader = new ExperimentsApi(new Configuration({ apiKey: reader.data.token!, basePath: s.url }));
    expect((await asReader.getExperiments(P, E)).status).toBe(200);
    expect(await status(asReader.patchExperiment(P, E, 'checkout', { instructions: [{ kind: 'updateName', value: 'x' }] }))).toMatchObject({ status: 403, data: { code: 'forbidden' } });

    const projects = new ProjectsApi(config);
    expect(await status(projects.postProject({ name: 'Again', key: P }))).toMatchObject({ status: 409, data: { code: 'conflict' } });
  });

  it('metric groups through the beta client, with LD-API-Version: beta', async () => {
    const beta = new MetricsBetaApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } }));
    const me = (await new AccessTokensApi(config).getTokens()).data.items![0].memberId;
    const group = await beta.createMetricGroup(P, { key: 'funnel', name: 'Funnel', kind: 'funnel', maintainerId: me, tags: [], metrics: [{ key: 'checkout-completed', nameInGroup: 'Step 1' }] });
    expect(group.status).toBe(201);
    expect(group.data.metrics[0]).toMatchObject({ key: 'checkout-completed', nameInGroup: 'Step 1' });
    const withoutBeta = new MetricsBetaApi(config);
    expect((await status(withoutBeta.getMetricGroup(P, 'funnel'))).status).toBe(403);
  });
});
