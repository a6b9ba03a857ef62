// Multi-armed bandits (experiments of type `mab`): at each reallocation time the job gives each treatment traffic
// equal to its probability to be best on the primary metric (a 1% floor each), rewrites the flag rule with the same
// seed (a new flag version, served to the SDKs), and audits it. The clock is the test's; the job is called directly.
import { afterEach, describe, expect, it } from 'vitest';
import { banditAllocation } from '../../analysis/bandits.js';
import { beforeNextTransaction, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { allocationThousandths } from './iterationInput.js';
import { reallocateDueBandits } from './reallocation.js';
import { percentOf } from './rollout.js';

const MINUTE = 60_000;

describe('multi-armed bandits: traffic reallocated by probability to be best', () => {
  let s: TestServer;
  let clock = 1_800_000_000_000;
  afterEach(() => s?.close());

  /** One pass of the job; a bandit it fails on fails the test (instead of reading as "nothing moved"). */
  const pass = () =>
    reallocateDueBandits(s.deps, {
      warn: (obj, msg) => {
        throw new Error(`${msg}: ${String((obj as { err?: unknown }).err)}`);
      },
    });

  async function server(): Promise<TestServer> {
    s = await startServer({ now: () => clock });
    return s;
  }

  /** Creates and starts an experiment (a bandit reallocating every minute unless `body` says otherwise) on the world's fallthrough. */
  async function start(w: World, key: string, iteration: Record<string, unknown> = {}, body: Record<string, unknown> = { type: 'mab' }): Promise<any> {
    const version = await flagVersion(s, w.project, w.flag);
    // Only a bandit takes a reallocationFrequencyMillis.
    const frequency = body.type === 'mab' ? { reallocationFrequencyMillis: MINUTE } : {};
    const created = await s.post(experimentsPath(w), { name: key, key, ...body, iteration: iterationBody({ ...w, version }, { ...frequency, ...iteration }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const started = await s.patch(experimentsPath(w, key), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    return started.body;
  }

  /**
   * `count` units exposed at `at` (prefix-0 …): control (variation 0) for the first `control` of them, Green
   * (variation 1) for the rest; a unit converts on `checkout` (and `purchase`) when `converts` says so.
   */
  async function expose(w: World, prefix: string, count: number, control: number, at: number, converts: (i: number, green: boolean) => boolean): Promise<void> {
    const events: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const green = i >= control;
      const context = { kind: 'user', key: `${prefix}-${i}` };
      events.push({ kind: 'feature', key: w.flag, creationDate: at, context, value: !green, variation: green ? 1 : 0, version: 3, reason: { kind: 'FALLTHROUGH', inExperiment: true } });
      if (converts(i, green)) {
        events.push({ kind: 'custom', key: 'checkout', creationDate: at, context });
        events.push({ kind: 'custom', key: 'purchase', creationDate: at, context });
      }
    }
    const posted = await s.request('POST', '/bulk', { body: events, token: await sdkKeyOf(s, w.project) });
    expect(posted.status).toBe(202);
  }
  /** Control converts one unit in ten, Green four in ten. */
  const greenBetter = (i: number, green: boolean) => i % 10 < (green ? 4 : 1);

  const allocations = async (w: World, key: string) =>
    ((await s.get(`${experimentsPath(w, key)}?expand=treatments`)).body.currentIteration.treatments as { allocationPercent: string }[]).map((t) => t.allocationPercent);
  const fallthrough = async (w: World) => (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production;
  const weightOf = (variations: { variation: number; weight: number; _untracked?: boolean }[], variation: number) =>
    variations.filter((v) => v.variation === variation && !v._untracked).reduce((sum, v) => sum + v.weight, 0);

  it('at its time each treatment gets its probability to be best, the rule keeps its seed, the SDKs are served a new version, and it is audited', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const started = await start(w, 'bandit');
    const startedAt = started.currentIteration.startedAt as number;
    await expose(w, 'u', 300, 150, startedAt + 1, greenBetter);
    const before = await fallthrough(w);
    const sdk = async () => (await s.get('/sdk/latest-all', { token: await sdkKeyOf(s, w.project) })).body.flags[w.flag];
    const servedBefore = await sdk();

    // Not yet due: nothing moves.
    clock = startedAt + MINUTE - 1;
    expect(await pass()).toBe(0);
    expect(await allocations(w, 'bandit')).toEqual(['50', '50']);

    clock = startedAt + MINUTE;
    expect(await pass()).toBe(1);
    const read = (await s.get(`${experimentsPath(w, 'bandit')}?expand=treatments`)).body.currentIteration;
    const shares = read.treatments.map((t: { allocationPercent: string }) => t.allocationPercent);
    // The same probabilities the results show, as traffic.
    const results = (await s.get(`${experimentsPath(w, 'bandit')}/metrics/${w.metric}/results`)).body;
    const pBest = results.treatmentResults.map((t: { pBest: number }) => t.pBest);
    expect(shares).toEqual(banditAllocation(pBest, 100_000).map(percentOf));
    expect(Number(shares[1])).toBeGreaterThan(90);
    expect(Number(shares[0])).toBeGreaterThanOrEqual(1);
    expect(read.version).toBe(started.currentIteration.version + 1);

    const after = await fallthrough(w);
    expect(after.version).toBe(before.version + 1);
    expect(after.fallthrough.rollout.seed).toBe(before.fallthrough.rollout.seed);
    expect([weightOf(after.fallthrough.rollout.variations, 0), weightOf(after.fallthrough.rollout.variations, 1)]).toEqual(shares.map((p: string) => allocationThousandths(p)));
    expect(after.fallthrough.rollout.experimentAllocation).toEqual(before.fallthrough.rollout.experimentAllocation);

    const served = await sdk();
    expect(served.version).toBeGreaterThan(servedBefore.version);
    expect(served.fallthrough.rollout).toMatchObject({ kind: 'experiment', seed: before.fallthrough.rollout.seed });
    expect(weightOf(served.fallthrough.rollout.variations, 1)).toBe(allocationThousandths(shares[1]));

    const audit = (await s.get(`/api/v2/auditlog?spec=proj/shop:env/production:experiment/bandit`)).body.items;
    expect(JSON.stringify(audit[0])).toContain(`reallocated the traffic of the multi-armed bandit bandit by each treatment's probability to be best: Control ${shares[0]}%, Green ${shares[1]}% (was Control 50%, Green 50%)`);
    // Its versions are the experiment as the API shows it, treatments included.
    const full = (await s.get(`/api/v2/auditlog/${audit[0]._id}`)).body;
    expect(full.previousVersion.currentIteration.treatments.map((t: { allocationPercent: string }) => t.allocationPercent)).toEqual(['50', '50']);
    expect(full.currentVersion.currentIteration.treatments.map((t: { allocationPercent: string }) => t.allocationPercent)).toEqual(shares);
    expect(full.currentVersion).toMatchObject({ key: 'bandit', environmentKey: 'production', currentIteration: { version: read.version } });
    // The rule it rewrote is the flag's change too: a flag entry, the flag before and after as the API shows it.
    const flagEntry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`proj/shop:env/*:flag/${w.flag}`)}`)).body.items[0];
    expect(flagEntry).toMatchObject({ kind: 'flag', date: full.date, accesses: [{ action: 'updateFallthrough', resource: `proj/shop:env/production:flag/${w.flag}` }] });
    const flagFull = (await s.get(`/api/v2/auditlog/${flagEntry._id}`)).body;
    expect(flagFull.currentVersion).toEqual((await s.get(`/api/v2/flags/shop/${w.flag}`)).body);
    expect(flagFull.previousVersion._version).toBe(flagFull.currentVersion._version - 1);
    expect(flagFull.description).toMatch(/\(by the multi-armed bandit .+'s reallocation\)$/);

    // The next reallocation is one period later.
    clock += MINUTE - 1;
    expect(await pass()).toBe(0);

    // Units that come now follow the new shares; the sample ratio check judges each unit by the shares when it came.
    const newcomers = 400;
    const control = Math.round((newcomers * Number(shares[0])) / 100);
    await expose(w, 'late', newcomers, control, clock, greenBetter);
    const later = (await s.get(`${experimentsPath(w, 'bandit')}/metrics/${w.metric}/results`)).body;
    expect(later.treatmentResults.map((t: { traffic?: number; units: number }) => t.units)).toEqual([150 + control, 150 + newcomers - control]);
    expect(later.probabilityOfMismatch).toBeLessThan(0.5);

    // A new iteration saved and started from the running one starts from the current shares.
    const saved = await s.patch(`${experimentsPath(w, 'bandit')}?expand=treatments`, { instructions: [{ kind: 'saveAndStartNewIteration', changeJustification: 'next round' }] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.currentIteration._id).not.toBe(read._id);
    expect(saved.body.currentIteration.treatments.map((t: { allocationPercent: string }) => t.allocationPercent)).toEqual(shares);
  });

  it('a running bandit whose metrics or attributes are added to keeps its schedule', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const startedAt = (await start(w, 'bandit')).currentIteration.startedAt as number;
    await expose(w, 'u', 300, 150, startedAt + 1, greenBetter);
    const added = await s.patch(experimentsPath(w, 'bandit'), {
      instructions: [{ kind: 'updateExperimentFields', value: { metrics: { operation: 'add', value: [{ key: w.standardGroup, isGroup: true }] }, attributes: { operation: 'add', value: ['country'] } } }],
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    clock = startedAt + MINUTE;
    expect(await pass()).toBe(1);
    expect(Number((await allocations(w, 'bandit'))[1])).toBeGreaterThan(90);
  });

  it('with too few units the shares stay, and the next look is one period later', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const startedAt = (await start(w, 'bandit')).currentIteration.startedAt as number;
    await expose(w, 'u', 198, 99, startedAt + 1, greenBetter);
    const version = (await fallthrough(w)).version;
    clock = startedAt + MINUTE;
    expect(await pass()).toBe(0);
    expect(await allocations(w, 'bandit')).toEqual(['50', '50']);
    expect((await fallthrough(w)).version).toBe(version);

    // One more unit each: ready, but not due until a period after that look.
    await expose(w, 'v', 2, 1, clock, greenBetter);
    clock += MINUTE - 1;
    expect(await pass()).toBe(0);
    clock += 1;
    expect(await pass()).toBe(1);
    expect(Number((await allocations(w, 'bandit'))[1])).toBeGreaterThan(50);
  });

  it('a funnel as the primary metric: the units that completed its last step', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const maintainerId = (await s.get('/api/v2/tokens')).body.items[0].memberId;
    expect((await s.post(`/api/v2/metrics/${w.project}`, { key: 'purchased', name: 'Purchased', kind: 'custom', eventKey: 'purchase', isNumeric: false })).status).toBe(201);
    const funnel = { key: 'buy-funnel', name: 'Buy', kind: 'funnel', maintainerId, tags: [], metrics: [{ key: w.metric, nameInGroup: 'Checked out' }, { key: 'purchased', nameInGroup: 'Purchased' }] };
    expect((await s.post(`/api/v2/projects/${w.project}/metric-groups`, funnel, { headers: { 'LD-API-Version': 'beta' } })).status).toBe(201);
    const startedAt = (await start(w, 'bandit', { metrics: [{ key: 'buy-funnel', isGroup: true }], primaryFunnelKey: 'buy-funnel', primarySingleMetricKey: undefined })).currentIteration.startedAt as number;
    // Both steps' events come at the exposure's instant: a step counts at or after the one before it.
    await expose(w, 'u', 300, 150, startedAt + 1, greenBetter);
    clock = startedAt + MINUTE;
    expect(await pass()).toBe(1);
    const group = (await s.get(`${experimentsPath(w, 'bandit')}/metric-groups/buy-funnel/results`)).body;
    const last = group.metrics.at(-1).results.treatmentResults.map((t: { pBest: number }) => t.pBest);
    expect(await allocations(w, 'bandit')).toEqual(banditAllocation(last, 100_000).map(percentOf));
  });

  it('a stopped bandit, and an experiment that is not a bandit, are never reallocated', async () => {
    await server();
    const plain = await createWorld(s, 'plain');
    const plainAt = (await start(plain, 'plain', {}, {})).currentIteration.startedAt as number;
    await expose(plain, 'u', 300, 150, plainAt + 1, greenBetter);
    const stopped = await createWorld(s, 'stopped');
    const bandit = await start(stopped, 'bandit');
    await expose(stopped, 'u', 300, 150, bandit.currentIteration.startedAt + 1, greenBetter);
    const green = (await s.get(`${experimentsPath(stopped, 'bandit')}?expand=treatments`)).body.currentIteration.treatments[1]._id;
    expect((await s.patch(experimentsPath(stopped, 'bandit'), { instructions: [{ kind: 'stopIteration', winningTreatmentId: green }] })).status).toBe(200);
    const versions = [(await fallthrough(plain)).version, (await fallthrough(stopped)).version];
    clock += 10 * MINUTE;
    expect(await pass()).toBe(0);
    expect([(await fallthrough(plain)).version, (await fallthrough(stopped)).version]).toEqual(versions);
    expect(await allocations(plain, 'plain')).toEqual(['50', '50']);
    expect(await allocations(stopped, 'bandit')).toEqual(['50', '50']);
  });

  it('two passes at once (two instances) move the traffic once', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const startedAt = (await start(w, 'bandit')).currentIteration.startedAt as number;
    await expose(w, 'u', 300, 150, startedAt + 1, greenBetter);
    const version = (await fallthrough(w)).version;
    clock = startedAt + MINUTE;
    const moved = await Promise.all([pass(), pass()]);
    expect(moved[0] + moved[1]).toBe(1);
    expect((await fallthrough(w)).version).toBe(version + 1);
    const audit = (await s.get(`/api/v2/auditlog?spec=proj/shop:env/production:experiment/bandit`)).body.items;
    expect(audit.filter((entry: unknown) => JSON.stringify(entry).includes('reallocated the traffic'))).toHaveLength(1);
  });

  it('a stop that lands while the job reads the events wins: nothing moves', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const startedAt = (await start(w, 'bandit')).currentIteration.startedAt as number;
    await expose(w, 'u', 300, 150, startedAt + 1, greenBetter);
    const green = (await s.get(`${experimentsPath(w, 'bandit')}?expand=treatments`)).body.currentIteration.treatments[1]._id;
    clock = startedAt + MINUTE;
    beforeNextTransaction(s, () => s.patch(experimentsPath(w, 'bandit'), { instructions: [{ kind: 'stopIteration', winningTreatmentId: green }] }));
    expect(await pass()).toBe(0);
    expect((await fallthrough(w)).fallthrough).toEqual({ variation: 1 });
    expect(await allocations(w, 'bandit')).toEqual(['50', '50']);
  });

  it('another pass that reallocates while this one reads wins: this one moves nothing with what it read', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const startedAt = (await start(w, 'bandit')).currentIteration.startedAt as number;
    await expose(w, 'u', 300, 150, startedAt + 1, greenBetter);
    clock = startedAt + MINUTE;
    // Before this pass writes (it read Green ahead), 1,000 units where Control converts nine in ten arrive, and
    // another instance's pass reallocates from them.
    let other = -1;
    beforeNextTransaction(s, async () => {
      await expose(w, 'more', 1_000, 500, clock, (i, isGreen) => i % 10 < (isGreen ? 1 : 9));
      other = await pass();
    });
    expect(await pass()).toBe(0);
    expect(other).toBe(1);
    const [control, green] = (await allocations(w, 'bandit')).map(Number);
    expect(control).toBeGreaterThan(green);
    const audit = (await s.get(`/api/v2/auditlog?spec=proj/shop:env/production:experiment/bandit`)).body.items;
    expect(audit.filter((entry: unknown) => JSON.stringify(entry).includes('reallocated the traffic'))).toHaveLength(1);
  });

  it('a bandit given no reallocationFrequencyMillis shows the hourly one it uses; another experiment shows none', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const body = async () => iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) });
    const bandit = await s.post(experimentsPath(w), { name: 'B', key: 'b', type: 'mab', iteration: await body() });
    expect(bandit.status).toBe(201);
    expect(bandit.body.currentIteration.reallocationFrequencyMillis).toBe(3_600_000);
    const draft = await s.post(`${experimentsPath(w, 'b')}/iterations`, await body());
    expect(draft.status).toBe(200);
    expect(draft.body.reallocationFrequencyMillis).toBe(3_600_000);
    const read = (await s.get(`${experimentsPath(w, 'b')}?expand=draftIteration`)).body;
    expect([read.currentIteration.reallocationFrequencyMillis, read.draftIteration.reallocationFrequencyMillis]).toEqual([3_600_000, 3_600_000]);
    const plain = await s.post(experimentsPath(w), { name: 'A/B', key: 'ab', iteration: await body() });
    expect(plain.status).toBe(201);
    expect(plain.body.currentIteration).not.toHaveProperty('reallocationFrequencyMillis');
  });

  it('reallocationFrequencyMillis is a year at most', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const version = await flagVersion(s, w.project, w.flag);
    const res = await s.post(experimentsPath(w), { name: 'B', key: 'b', type: 'mab', iteration: iterationBody({ ...w, version }, { reallocationFrequencyMillis: 1e20 }) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toContain('reallocationFrequencyMillis');
  });

  it('a bandit cannot start on a percentile metric: it reallocates by the primary metric\'s average', async () => {
    await server();
    const w = await createWorld(s, 'shop');
    const latency = { key: 'latency', name: 'Latency', kind: 'custom', eventKey: 'latency', isNumeric: true, unit: 'ms', successCriteria: 'LowerThanBaseline', unitAggregationType: 'average', analysisType: 'percentile', percentileValue: 95 };
    expect((await s.post(`/api/v2/metrics/${w.project}`, latency)).status).toBe(201);
    const version = await flagVersion(s, w.project, w.flag);
    const iteration = iterationBody({ ...w, version }, { metrics: [{ key: 'latency' }], primarySingleMetricKey: 'latency' });
    expect((await s.post(experimentsPath(w), { name: 'Bandit', key: 'bandit', type: 'mab', iteration })).status).toBe(201);
    const res = await s.patch(experimentsPath(w, 'bandit'), { instructions: [{ kind: 'startIteration' }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_request' });
    expect(res.body.message).toContain('a multi-armed bandit reallocates traffic by its primary metric\'s average; metric "latency" is analysed by a percentile');
    expect((await s.get(experimentsPath(w, 'bandit'))).body.currentIteration.status).toBe('not_started');
  });
});
