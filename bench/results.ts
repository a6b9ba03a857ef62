// The SDK events' way in and experiment results on top of them: POST /bulk at 5,000 events a payload (events per
// second), then getExperimentResults one request at a time (median ms), beside getExperiment on the same store as
// the baseline, and what a results request costs the requests beside it: getExperiment, one after another, while
// results are computed (its slowest answer is how long the server could not answer). The running iteration of the
// bench world's "bench-history" (50/50, sliced by country and plan) gets `--units` exposures, half of the units
// convert and a fifth purchase.
//   npx tsx bench/results.ts [--db=sqlite,postgres] [--units=100000] [--rounds=5]
// BENCH_ITERLAB_MAIN measures another build, as in run.ts.
import { flagsOf } from './lib/args.js';
import { onEachDatabase, postPayloads, timed, timesBeside } from './lib/events.js';
import { median } from './lib/load.js';
import type { DbKind } from './lib/iterlab.js';
import { ENV, PROJECT } from './lib/world.js';

const flags = flagsOf(process.argv.slice(2));
const dbs = (flags.get('db') ?? 'sqlite,postgres').split(',') as DbKind[];
const units = Number(flags.get('units') ?? 100_000);
const rounds = Number(flags.get('rounds') ?? 5);
const PAYLOAD = 5_000;
const experiment = `/api/v2/projects/${PROJECT}/environments/${ENV}/experiments/bench-history`;

/** The events of units exposed from `at` on, a millisecond apart per 1,000 units so that they end before now. */
function events(at: number): unknown[][] {
  const payloads: unknown[][] = [];
  let payload: unknown[] = [];
  for (let u = 0; u < units; u++) {
    const context = { kind: 'user', key: `unit-${u}`, country: ['NZ', 'CA', 'DE'][u % 3], plan: u % 7 === 0 ? 'pro' : 'free' };
    const creationDate = at + Math.floor(u / 1000);
    payload.push({ kind: 'feature', key: 'history-flag', creationDate, context, value: u % 2 === 0, variation: u % 2, version: 9, reason: { kind: 'FALLTHROUGH', inExperiment: true } });
    if (u % 2 === 0) payload.push({ kind: 'custom', key: 'conversion', creationDate, context: { kind: 'user', key: context.key } });
    if (u % 5 === 0) payload.push({ kind: 'custom', key: 'purchase', creationDate, context: { kind: 'user', key: context.key }, metricValue: u % 100 });
    if (payload.length >= PAYLOAD) {
      payloads.push(payload);
      payload = [];
    }
  }
  if (payload.length > 0) payloads.push(payload);
  return payloads;
}

await onEachDatabase(dbs, async ({ db, api, url, sdkKey }) => {
  const payloads = events(Date.now());
  const count = payloads.reduce((sum, p) => sum + p.length, 0);
  const intake = await postPayloads(url, sdkKey, payloads);
  // The last exposures are stamped up to units / 1000 ms ahead: wait until they are in the iteration's window.
  await new Promise((resolve) => setTimeout(resolve, Math.ceil(units / 1000) + 50));
  const results: number[] = [];
  const baseline: number[] = [];
  let traffic = 0;
  for (let i = 0; i < rounds; i++) {
    results.push(await timed(async () => (traffic = (await api.ok('GET', `${experiment}/metrics/metric-key-123abc/results?expand=traffic`, undefined, 200)).treatmentResults.reduce((s: number, t: { traffic: number }) => s + t.traffic, 0))));
    baseline.push(await timed(() => api.ok('GET', `${experiment}?expand=draftIteration,previousIterations,treatments,secondaryMetrics`, undefined, 200)));
  }
  if (traffic !== units) throw new Error(`results counted ${traffic} units, not ${units}`);
  const beside = await timesBeside(
    () => api.ok('GET', `${experiment}/metrics/metric-key-123abc/results`, undefined, 200),
    () => api.ok('GET', `${experiment}?expand=draftIteration,previousIterations,treatments,secondaryMetrics`, undefined, 200),
    rounds,
  );
  console.log(`${db}: ${count.toLocaleString('en-US')} events of ${units.toLocaleString('en-US')} units in payloads of ${PAYLOAD.toLocaleString('en-US')}`);
  console.log(`  POST /bulk            ${Math.round(count / (intake / 1000)).toLocaleString('en-US')} events/s (${(intake / 1000).toFixed(2)} s)`);
  console.log(`  getExperimentResults  ${median(results).toFixed(1)} ms (median of ${rounds}; sliced by 2 attributes, ${traffic.toLocaleString('en-US')} units)`);
  console.log(`  getExperiment         ${median(baseline).toFixed(1)} ms (the baseline: every expansion, same store)`);
  console.log(`  getExperiment beside  ${median(beside).toFixed(1)} ms median, ${Math.max(...beside).toFixed(1)} ms slowest (${beside.length} requests while ${rounds} results requests ran)`);
});
