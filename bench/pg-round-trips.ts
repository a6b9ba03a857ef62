// Where a write's time goes on PostgreSQL: runs one scenario's request again and again, one at a time (no
// contention), and times every query iterlab sends, from the call into node-postgres to its answer.
// Usage: tsx bench/pg-round-trips.ts [scenario=create-iteration] [requests=300]
// The database is the tests' (TEST_DATABASE_URL, or the local PostgreSQL); a fresh one is made and dropped.
// First it times a bare round trip (`select $1`, one client, one at a time): what each query costs before any of
// iterlab's work, in wall time and in this process's CPU, the baseline the per-query figures compare against.
import pg from 'pg';
import { insertToken } from '../src/resources/tokens/tokens.js';
import { startServer } from '../test/support/server.js';
import { Api, BENCH_TOKEN, scenarios, seedWorld, UNIQUE } from './lib/world.js';

const [name = 'create-iteration', count = '300'] = process.argv.slice(2);
const requests = Number(count);

const timings: { text: string; us: number }[] = [];
let timing = false;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  const text = (typeof first === 'string' ? first : (first?.text ?? '')).replace(/\s+/g, ' ').slice(0, 60);
  const start = process.hrtime.bigint();
  const answer = query.apply(this, args);
  if (timing && answer instanceof Promise) {
    answer.then(
      () => timings.push({ text, us: Number(process.hrtime.bigint() - start) / 1000 }),
      () => {},
    );
  }
  return answer;
};

/** A bare round trip's wall time and this process's CPU time (user + system), µs, over n sequential queries. */
async function bareRoundTrip(connectionString: string, n: number): Promise<{ wall: number; cpu: number }> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    for (let i = 0; i < 200; i++) await client.query('select $1::text as "x"', ['x']);
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < n; i++) await client.query('select $1::text as "x"', ['x']);
    const used = process.cpuUsage(cpu);
    return { wall: ((performance.now() - started) * 1000) / n, cpu: (used.user + used.system) / n };
  } finally {
    await client.end();
  }
}

const server = await startServer({ db: 'postgres', listen: true, env: { RATE_LIMIT_GLOBAL_PER_10S: '0', RATE_LIMIT_ROUTE_PER_10S: '0' } });
try {
  const bare = await bareRoundTrip(server.deps.config.databaseUrl, 2000);
  console.log(`a bare round trip (select $1, one client, one at a time): ${bare.wall.toFixed(0)} µs wall, ${bare.cpu.toFixed(0)} µs of this process's CPU`);
  await insertToken(server.store.db, server.deps.accountId, BENCH_TOKEN, { name: 'bench', role: 'admin' }, Date.now());
  const api = new Api(server.url);
  await seedWorld(api, 0);
  const scenario = (await scenarios(api)).find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario "${name}"`);
  const send = async (i: number) => {
    const res = await api.call(scenario.method, scenario.path, scenario.body?.replaceAll(UNIQUE, `rt-${i}`), scenario.contentType);
    if (res.status >= 300) throw new Error(`${scenario.method} ${scenario.path}: ${res.status} ${res.text}`);
  };
  for (let i = 0; i < 100; i++) await send(-i - 1); // warm-up
  timing = true;
  const started = performance.now();
  for (let i = 0; i < requests; i++) await send(i);
  const perRequest = (performance.now() - started) / requests;
  timing = false;

  const byText = new Map<string, number[]>();
  for (const { text, us } of timings) {
    const all = byText.get(text);
    if (all) all.push(us);
    else byText.set(text, [us]);
  }
  const rows = [...byText].map(([text, all]) => ({ text, all: all.sort((a, b) => a - b), sum: all.reduce((a, b) => a + b, 0) })).sort((a, b) => b.sum - a.sum);
  const inQueries = rows.reduce((a, r) => a + r.sum, 0) / requests;
  console.log(`${name} on PostgreSQL, ${requests} requests one at a time: ${perRequest.toFixed(2)} ms each, ${(inQueries / 1000).toFixed(2)} ms of it waiting for queries`);
  console.log('µs per request   per request   median µs   query');
  for (const r of rows) {
    console.log(`${(r.sum / requests).toFixed(0).padStart(14)}   ${(r.all.length / requests).toFixed(1).padStart(11)}   ${r.all[r.all.length >> 1].toFixed(0).padStart(9)}   ${r.text}`);
  }
} finally {
  await server.close();
}
