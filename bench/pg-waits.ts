// What PostgreSQL's backends wait on while create iteration runs under load (10 connections, wrk or autocannon),
// sampled from pg_stat_activity every 10 ms on a connection of its own, and the longest single wait seen.
//   npx tsx bench/pg-waits.ts [--scenario=create-iteration] [--runs=4] [--seconds=8]
// Each run prints requests/s and p50/p99; then the share of samples in which a backend ran (state active), the
// wait events among them, and the longest statement seen waiting on one event. BENCH_DATABASE_URL as in run.ts.
import pg from 'pg';
import { flagsOf } from './lib/args.js';
import { measure, wrkAvailable } from './lib/load.js';
import { buildIterlab, freshDatabase, startIterlab } from './lib/iterlab.js';
import { Api, scenarioLoad, scenarios, seedWorld } from './lib/world.js';

const flags = flagsOf(process.argv.slice(2));
const name = flags.get('scenario') ?? 'create-iteration';
const runs = Number(flags.get('runs') ?? 4);
const seconds = Number(flags.get('seconds') ?? 8);
const tool = wrkAvailable() ? 'wrk' : 'autocannon';

const SAMPLE = `select coalesce(wait_event_type || ':' || wait_event, 'running') as wait,
  extract(epoch from clock_timestamp() - query_start) * 1000 as ms
  from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`;

const build = buildIterlab();
const store = await freshDatabase('postgres');
const server = await startIterlab(build.main, store.url);
try {
  await seedWorld(new Api(server.url), 20);
  const scenario = (await scenarios(new Api(server.url))).find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario ${name}`);

  const probe = new pg.Client({ connectionString: store.url });
  await probe.connect();
  let sampling = true;
  let samples = 0;
  let active = 0;
  const waits = new Map<string, number>();
  const longest = new Map<string, number>();
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await probe.query<{ wait: string; ms: number }>(SAMPLE);
      samples += 1;
      if (rows.length > 0) active += 1;
      for (const wait of new Set(rows.map((r) => r.wait))) waits.set(wait, (waits.get(wait) ?? 0) + 1);
      for (const r of rows) longest.set(r.wait, Math.max(longest.get(r.wait) ?? 0, Number(r.ms)));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  for (let i = 0; i < runs; i++) {
    const m = await measure(tool, scenarioLoad(server.url, scenario, 10, seconds, i === 0 ? 2 : 0), server.child.pid!);
    console.log(`run ${i + 1}: ${Math.round(m.rps).toLocaleString('en-US')} rps, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ${m.errors} errors`);
  }
  sampling = false;
  await sampler;
  await probe.end();
  const share = (n: number, of: number) => Math.round((100 * n) / Math.max(1, of));
  console.log(`${samples} samples of pg_stat_activity, a backend active in ${active} (${share(active, samples)}%); of those, with a backend in:`);
  for (const [wait, n] of [...waits].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`  ${wait.padEnd(28)} ${String(share(n, active)).padStart(3)}%   longest statement seen in it ${Math.round(longest.get(wait) ?? 0)} ms`);
  }
} finally {
  await server.stop();
  await store.drop();
  build.remove();
}
