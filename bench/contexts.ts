// The Contexts API over many contexts: `--contexts` users (every tenth with an org, as a multi-context) sent to
// POST /bulk as index events in payloads of 5,000, then each read one request at a time (median ms), beside
// getExperiment on the same store as the baseline. The searches and attribute counts read every record of the
// environment (docs/compatibility.md, "Contexts"), so their cost grows with its contexts; getContexts reads one's.
//   npx tsx bench/contexts.ts [--db=sqlite,postgres] [--contexts=50000] [--rounds=5]
// BENCH_ITERLAB_MAIN measures another build, as in run.ts.
import { flagsOf } from './lib/args.js';
import { onEachDatabase, postPayloads, timed, timesBeside } from './lib/events.js';
import { median } from './lib/load.js';
import type { DbKind } from './lib/iterlab.js';
import { ENV, PROJECT } from './lib/world.js';

const flags = flagsOf(process.argv.slice(2));
const dbs = (flags.get('db') ?? 'sqlite,postgres').split(',') as DbKind[];
const contexts = Number(flags.get('contexts') ?? 50_000);
const rounds = Number(flags.get('rounds') ?? 5);
const PAYLOAD = 5_000;
const base = `/api/v2/projects/${PROJECT}/environments/${ENV}`;

function payloads(at: number): unknown[][] {
  const out: unknown[][] = [];
  for (let from = 0; from < contexts; from += PAYLOAD) {
    out.push(
      Array.from({ length: Math.min(PAYLOAD, contexts - from) }, (_, j) => {
        const u = from + j;
        const user = { key: `user-${u}`, name: `User ${u}`, email: `user-${u}@example.com`, country: ['NZ', 'CA', 'DE'][u % 3], plan: u % 7 === 0 ? 'pro' : 'free' };
        const context = u % 10 === 0 ? { kind: 'multi', user, org: { key: `org-${u % 100}`, name: `Org ${u % 100}` } } : { kind: 'user', ...user };
        return { kind: 'index', creationDate: at - contexts + u, context };
      }),
    );
  }
  return out;
}

await onEachDatabase(dbs, async ({ db, api, url, sdkKey }) => {
  const sent = payloads(Date.now());
  const intake = await postPayloads(url, sdkKey, sent);
  const reads: [string, string, string, unknown?][] = [
    ['searchContexts', 'POST', `${base}/contexts/search`, {}],
    ['searchContexts, filtered', 'POST', `${base}/contexts/search`, { filter: 'user.plan equals "pro",user.country anyOf ["NZ","DE"]' }],
    ['searchContextInstances', 'POST', `${base}/context-instances/search`, { filter: 'kinds contains ["org"]' }],
    ['getContexts', 'GET', `${base}/contexts/user/user-4242`],
    ['getContextAttributeNames', 'GET', `${base}/context-attributes`],
    ['getContextAttributeValues', 'GET', `${base}/context-attributes/plan`],
    ['getExperiment (baseline)', 'GET', `/api/v2/projects/${PROJECT}/environments/${ENV}/experiments/bench-history?expand=draftIteration,previousIterations,treatments,secondaryMetrics`],
  ];
  const total = (await api.ok('POST', `${base}/contexts/search`, {}, 200)).totalCount as number;
  if (total < contexts) throw new Error(`searchContexts counted ${total} contexts, not at least ${contexts}`);
  console.log(`${db}: ${contexts.toLocaleString('en-US')} context instances (${total.toLocaleString('en-US')} contexts) sent in ${(intake / 1000).toFixed(2)} s (${Math.round(contexts / (intake / 1000)).toLocaleString('en-US')} a second)`);
  for (const [name, method, path, body] of reads) {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) times.push(await timed(() => api.ok(method, path, body, 200)));
    console.log(`  ${name.padEnd(28)} ${median(times).toFixed(1)} ms (median of ${rounds})`);
  }
  // What a search costs the requests beside it: getExperiment, one after another, while searches run.
  const beside = await timesBeside(
    () => api.ok('POST', `${base}/contexts/search`, {}, 200),
    () => api.ok('GET', reads[reads.length - 1][2], undefined, 200),
    rounds,
  );
  console.log(`  ${'getExperiment beside'.padEnd(28)} ${median(beside).toFixed(1)} ms median, ${Math.max(...beside).toFixed(1)} ms slowest (${beside.length} requests while ${rounds} searches ran)`);
});
