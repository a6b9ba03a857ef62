// `npm run bench`: every scenario against iterlab and, in the same run on the same body, against the bare-Fastify
// ceiling and (for the seed endpoint) Prism; on SQLite and PostgreSQL; then the data-size comparison and a soak.
// `npm run bench -- --smoke` runs each for one second: a check of the harness, not a measurement.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flagsOf } from './lib/args.js';
import { bulkSeed } from './lib/bulk.js';
import { measure, wrkAvailable, type LoadSpec, type Measured, type Tool } from './lib/load.js';
import { buildIterlab, freshDatabase, NODE_FLAGS, startIterlab, type DbKind } from './lib/iterlab.js';
import { freePort, nodeTs, ROOT, rssBytes, start, type Started } from './lib/processes.js';
import { Api, scenarioLoad, scenarios, seedWorld, UNIQUE, type Scenario } from './lib/world.js';

interface Options {
  smoke: boolean;
  dbs: DbKind[];
  seconds: number;
  warmup: number;
  /** Slices of each measurement, the targets taken in turn (interleaved). */
  rounds: number;
  connections: number;
  tool: Tool;
  /** Experiments created through the API in every store (the small store's list). */
  listed: number;
  experiments: number;
  iterationsEach: number;
  soakSeconds: number;
  only: string[] | undefined;
  /** Skip the large store (data size and soak): for profiling one scenario. */
  large: boolean;
  prism: boolean;
  compareWrk: boolean;
  /** Write a V8 CPU profile of the iterlab process (small store) into this directory. */
  cpuProf: string | undefined;
  json: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const flags = flagsOf(argv);
  const smoke = flags.has('smoke');
  const num = (name: string, full: number, quick: number) => Number(flags.get(name) ?? (smoke ? quick : full));
  const db = flags.get('db') ?? 'both';
  return {
    smoke,
    dbs: db === 'both' ? ['sqlite', 'postgres'] : [db as DbKind],
    seconds: num('seconds', 10, 1),
    warmup: num('warmup', 3, 0),
    rounds: num('rounds', 5, 1),
    connections: num('connections', 10, 10),
    // wrk (C, one thread) leaves more of the second core to the server than autocannon does, so it is preferred
    // where installed (Debian's package); the harness falls back to autocannon (npm), as in CI's smoke run.
    tool: (flags.get('tool') as Tool | undefined) ?? (!smoke && wrkAvailable() ? 'wrk' : 'autocannon'),
    listed: num('listed', 20, 20),
    experiments: num('experiments', 10_000, 100),
    iterationsEach: num('iterations-each', 10, 10),
    soakSeconds: num('soak', 60, 2),
    only: flags.get('only')?.split(','),
    large: flags.get('large') !== 'false',
    prism: flags.get('prism') !== 'false',
    compareWrk: !smoke && flags.get('compare-wrk') !== 'false' && wrkAvailable(),
    cpuProf: flags.get('cpu-prof') === 'true' ? path.join(ROOT, 'bench/profiles') : flags.get('cpu-prof'),
    json: flags.get('json'),
  };
}

let iterlabMain = '';

async function startCeiling(routes: { method: string; url: string; status: number; body: string }[]): Promise<Started> {
  const file = path.join(os.tmpdir(), `iterlab-bench-ceiling-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(routes));
  const port = await freePort();
  const { command, args } = nodeTs('bench/ceiling.ts');
  const started = await start({ name: 'ceiling', command, args: [...args, file], port, env: { PORT: String(port) } });
  return { ...started, stop: async () => (await started.stop(), fs.rmSync(file, { force: true })) };
}

async function startPrism(): Promise<Started> {
  const port = await freePort();
  const cli = path.join(ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js');
  return start({ name: 'prism', command: process.execPath, args: [cli, 'mock', path.join(ROOT, 'bench/create-iteration.openapi.yaml'), '-h', '127.0.0.1', '-p', String(port)], port });
}

function spec(target: Started, scenario: Scenario, options: Options, seconds = options.seconds, warmup = options.warmup): LoadSpec {
  return scenarioLoad(target.url, scenario, options.connections, seconds, warmup);
}

async function load(target: Started, scenario: Scenario, options: Options, tool = options.tool): Promise<Measured> {
  return measure(tool, spec(target, scenario, options), target.child.pid!);
}

/**
 * Each target loaded in turn, `options.rounds` times (iterlab, ceiling, Prism, iterlab, ...), each slice
 * seconds / rounds long (in whole seconds) after one warm-up each: this VM's speed drifts by up to 2x within
 * minutes, and slices taken in turn see the same drift, where one long run after another does not. A target's
 * slices are summed: its requests/s is all its requests over all its seconds, CPU per request over all its
 * requests; its p50 and p99 are the highest of its slices' (a conservative reading: slices cannot be merged into
 * one histogram).
 */
async function interleaved(targets: Started[], scenario: Scenario, options: Options): Promise<Measured[]> {
  // Whole seconds: wrk takes no fraction.
  const slice = Math.max(1, Math.round(options.seconds / options.rounds));
  for (const target of targets) if (options.warmup > 0) await measure(options.tool, spec(target, scenario, options, options.warmup, 0), target.child.pid!);
  const slices: Measured[][] = targets.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (const [i, target] of targets.entries()) slices[i].push(await measure(options.tool, spec(target, scenario, options, slice, 0), target.child.pid!));
  }
  return slices.map(merge);
}

function merge(slices: Measured[]): Measured {
  if (slices.length === 1) return slices[0];
  const requests = slices.reduce((n, m) => n + m.requests, 0);
  const seconds = slices.reduce((n, m) => n + m.seconds, 0);
  const weighted = (pick: (c: NonNullable<Measured['cpuUs']>) => number) => slices.reduce((n, m) => n + (m.cpuUs ? pick(m.cpuUs) * m.requests : 0), 0) / Math.max(1, requests);
  const statuses: Record<string, number> = {};
  for (const m of slices) for (const [status, n] of Object.entries(m.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  return {
    tool: slices[0].tool,
    requests,
    seconds,
    rps: requests / seconds,
    p50: Math.max(...slices.map((m) => m.p50)),
    p99: Math.max(...slices.map((m) => m.p99)),
    errors: slices.reduce((n, m) => n + m.errors, 0),
    statuses,
    rssMax: Math.max(...slices.map((m) => m.rssMax)),
    rssSamples: slices.flatMap((m) => m.rssSamples),
    ...(slices.every((m) => m.cpuUs) ? { cpuUs: { total: weighted((c) => c.total), main: weighted((c) => c.main), system: weighted((c) => c.system) } } : {}),
  };
}

interface Row {
  db: DbKind;
  store: string;
  scenario: string;
  title: string;
  iterlab: Measured;
  ceiling?: Measured;
  prism?: Measured;
}

const results: { options: Options; machine: Record<string, unknown>; rows: Row[]; dataSize: unknown[]; soak: unknown[]; wrk: unknown[] } = {
  options: undefined as never,
  machine: { nodeFlags: NODE_FLAGS, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  rows: [],
  dataSize: [],
  soak: [],
  wrk: [],
};

const MB = 1024 * 1024;
const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f2 = (n: number) => n.toFixed(2);
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function printTable(title: string, rows: Row[]): void {
  const header = ['scenario', 'rps', 'p50 ms', 'p99 ms', 'errors', 'RSS MB', 'CPU µs/req', 'ceiling rps', 'ceiling µs', 'of ceiling', 'Prism rps', 'x Prism'];
  const widths = [26, 9, 8, 8, 7, 7, 14, 12, 11, 11, 10, 8];
  // The server's CPU per request, all threads / the event loop's own.
  const cpu = (m: Measured | undefined) => (m?.cpuUs ? `${f0(m.cpuUs.total)} / ${f0(m.cpuUs.main)}` : '-');
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join(' ');
  console.log(`\n${title}`);
  console.log(line(header));
  for (const r of rows) {
    console.log(
      line([
        r.scenario,
        f0(r.iterlab.rps),
        f2(r.iterlab.p50),
        f2(r.iterlab.p99),
        String(r.iterlab.errors),
        f0(r.iterlab.rssMax / MB),
        cpu(r.iterlab),
        r.ceiling ? f0(r.ceiling.rps) : '-',
        r.ceiling?.cpuUs ? f0(r.ceiling.cpuUs.total) : '-',
        r.ceiling ? `${Math.round((100 * r.iterlab.rps) / r.ceiling.rps)}%` : '-',
        r.prism ? f0(r.prism.rps) + (r.prism.errors > 0 ? '!' : '') : '-',
        r.prism ? `${(r.iterlab.rps / r.prism.rps).toFixed(1)}x` : '-',
      ]),
    );
  }
}

/** Runs each scenario against iterlab, then the ceiling, then (seed endpoint) Prism, one after the other. */
async function measureStore(db: DbKind, storeName: string, iterlab: Started, list: Scenario[], prism: Started | undefined, options: Options): Promise<Row[]> {
  const api = new Api(iterlab.url);
  const captured = [];
  for (const s of list) {
    const body = s.body?.replaceAll(UNIQUE, `capture-${s.name}`);
    const res = await api.call(s.method, s.path, body, s.contentType);
    if (res.status >= 300) throw new Error(`${s.name}: iterlab answered ${res.status}: ${res.text}`);
    captured.push({ method: s.method, url: s.route, status: res.status, body: res.text });
  }
  const ceiling = await startCeiling(captured);
  const rows: Row[] = [];
  try {
    for (const s of list) {
      const targets = [iterlab, ceiling, ...(s.prism && prism ? [prism] : [])];
      const [ours, bare, mock] = await interleaved(targets, s, options);
      const row: Row = { db, store: storeName, scenario: s.name, title: s.title, iterlab: ours, ceiling: bare, ...(mock ? { prism: mock } : {}) };
      rows.push(row);
      const r = row.iterlab;
      process.stderr.write(`  ${db} ${storeName} ${s.name}: ${f0(r.rps)} rps, p99 ${f2(r.p99)} ms, ${r.errors} errors (load average ${os.loadavg()[0].toFixed(1)})\n`);
      if (r.errors > 0) process.stderr.write(`    statuses: ${JSON.stringify(r.statuses)}\n`);
    }
    if (options.compareWrk) {
      const s = list.find((x) => x.name === 'create-iteration');
      if (s) {
        for (const [name, target] of [['iterlab', iterlab], ['ceiling', ceiling]] as const) {
          const [a, w] = [await load(target, s, options, 'autocannon'), await load(target, s, options, 'wrk')];
          results.wrk.push({ db, store: storeName, target: name, autocannon: { rps: a.rps, p50: a.p50, p99: a.p99 }, wrk: { rps: w.rps, p50: w.p50, p99: w.p99 } });
        }
      }
    }
  } finally {
    await ceiling.stop();
  }
  return rows;
}

/** Mixed load (every scenario in turn) for soakSeconds, RSS sampled every second. */
async function soak(db: DbKind, iterlab: Started, list: Scenario[], options: Options): Promise<void> {
  const pid = iterlab.child.pid!;
  const samples: { t: number; rss: number }[] = [];
  const t0 = Date.now();
  const timer = setInterval(() => samples.push({ t: (Date.now() - t0) / 1000, rss: rssBytes(pid) ?? 0 }), 1000);
  let requests = 0;
  let errors = 0;
  const segment = Math.max(1, Math.min(5, options.soakSeconds));
  try {
    const rotation = list.filter((s) => s.name !== 'create-experiment');
    for (let i = 0; Date.now() - t0 < options.soakSeconds * 1000; i++) {
      const s = rotation[i % rotation.length];
      const r = await measure('autocannon', spec(iterlab, s, options, segment, 0), pid);
      requests += r.requests;
      errors += r.errors;
    }
  } finally {
    clearInterval(timer);
  }
  const mb = samples.map((s) => s.rss / MB);
  const tenth = Math.max(1, Math.floor(mb.length / 6));
  const first = Math.max(...mb.slice(0, tenth));
  const last = Math.max(...mb.slice(-tenth));
  results.soak.push({ db, seconds: options.soakSeconds, requests, errors, rssMB: mb.map((x) => Math.round(x)), firstMaxMB: first, lastMaxMB: last, maxMB: Math.max(...mb) });
  console.log(
    `\nsoak, ${db}: ${options.soakSeconds} s of mixed load (create iteration, get, list, flag PATCH in turn), ${f0(requests)} requests, ${errors} errors\n` +
      `  RSS MB each second: ${mb.map((x) => Math.round(x)).join(' ')}\n` +
      `  max in the first sixth ${f0(first)} MB, in the last sixth ${f0(last)} MB, overall ${f0(Math.max(...mb))} MB`,
  );
}

async function runDb(db: DbKind, options: Options, prism: Started | undefined): Promise<void> {
  const wanted = (list: Scenario[]) => (options.only ? list.filter((s) => options.only!.includes(s.name)) : list);

  // Small store: the world only (a few dozen experiments).
  const small = await freshDatabase(db);
  let smallRows: Row[] = [];
  try {
    const iterlab = await startIterlab(iterlabMain, small.url, options.cpuProf);
    try {
      await seedWorld(new Api(iterlab.url), options.listed);
      const list = wanted(await scenarios(new Api(iterlab.url)));
      smallRows = await measureStore(db, 'small', iterlab, list, prism, options);
    } finally {
      await iterlab.stop();
    }
  } finally {
    await small.drop();
  }
  results.rows.push(...smallRows);
  printTable(`${db}: store with ${options.listed + 2} experiments; ${options.connections} connections, ${options.seconds} s each in ${options.rounds} slice(s) taken in turn with the peers (load: ${options.tool})`, smallRows);

  if (!options.large) return;
  // Large store: the same world plus experiments × iterations inserted directly.
  const large = await freshDatabase(db);
  try {
    let iterlab = await startIterlab(iterlabMain, large.url);
    let list: Scenario[];
    try {
      await seedWorld(new Api(iterlab.url), options.listed);
      list = (await scenarios(new Api(iterlab.url))).filter((s) => ['create-iteration', 'get-experiment', 'list-experiments', 'flag-patch'].includes(s.name));
    } finally {
      await iterlab.stop();
    }
    const seeded = await bulkSeed(large.url, options.experiments, options.iterationsEach);
    process.stderr.write(`  ${db}: inserted ${f0(seeded.experiments)} experiments and ${f0(seeded.iterations)} iterations in ${f0(seeded.ms)} ms\n`);
    iterlab = await startIterlab(iterlabMain, large.url);
    try {
      const measured = wanted(list.filter((s) => s.name !== 'flag-patch'));
      const largeRows = await measureStore(db, 'large', iterlab, measured, undefined, options);
      results.rows.push(...largeRows);
      printTable(`${db}: store with ${f0(seeded.experiments)} more experiments and ${f0(seeded.iterations)} iterations`, largeRows);
      console.log(`\ndata size, ${db}: small store -> large store (same requests)`);
      for (const r of largeRows) {
        const before = smallRows.find((x) => x.scenario === r.scenario);
        if (!before) continue;
        const change = (100 * (r.iterlab.rps - before.iterlab.rps)) / before.iterlab.rps;
        const ceilingChange = r.ceiling && before.ceiling ? (100 * (r.ceiling.rps - before.ceiling.rps)) / before.ceiling.rps : 0;
        results.dataSize.push({ db, scenario: r.scenario, small: before.iterlab.rps, large: r.iterlab.rps, changePct: change, ceilingChangePct: ceilingChange });
        console.log(
          `  ${pad(r.scenario, 18)} ${lpad(f0(before.iterlab.rps), 7)} -> ${lpad(f0(r.iterlab.rps), 7)} rps (${change >= 0 ? '+' : ''}${change.toFixed(1)}%; ` +
            `of ceiling ${Math.round((100 * before.iterlab.rps) / before.ceiling!.rps)}% -> ${Math.round((100 * r.iterlab.rps) / r.ceiling!.rps)}%), p99 ${f2(before.iterlab.p99)} -> ${f2(r.iterlab.p99)} ms`,
        );
      }
      if (options.soakSeconds > 0) await soak(db, iterlab, list, options);
    } finally {
      await iterlab.stop();
    }
  } finally {
    await large.drop();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  results.options = options;
  console.log(
    `iterlab bench${options.smoke ? ' (smoke: one second each, figures are not measurements)' : ''}: ${results.machine.cpus} cores (${results.machine.cpu}), ` +
      `node ${process.version}; load generator ${options.tool} in its own process, ${options.connections} connections`,
  );
  console.log(`iterlab runs as npm start runs it: node ${[...NODE_FLAGS, '<build>/main.js serve'].join(' ')}`);
  // The machine may be shared (other test suites): its load average says how much of it this run had.
  const loadAverage = os.loadavg()[0];
  if (loadAverage > 0.5) console.log(`note: the 1-minute load average is ${loadAverage.toFixed(1)} on ${os.cpus().length} cores before the run: other processes compete for the CPU, and the figures are lower and noisier for it`);
  const build = buildIterlab();
  iterlabMain = build.main;
  const prism = options.prism ? await startPrism() : undefined;
  try {
    for (const db of options.dbs) await runDb(db, options, prism);
  } finally {
    await prism?.stop();
    build.remove();
  }
  if (results.wrk.length > 0) {
    console.log('\nload generator check, create iteration: autocannon vs wrk (one thread), same target, same body');
    for (const w of results.wrk as { db: string; store: string; target: string; autocannon: { rps: number; p99: number }; wrk: { rps: number; p99: number } }[]) {
      console.log(`  ${pad(`${w.db} ${w.store} ${w.target}`, 24)} autocannon ${lpad(f0(w.autocannon.rps), 7)} rps p99 ${f2(w.autocannon.p99)} ms | wrk ${lpad(f0(w.wrk.rps), 7)} rps p99 ${f2(w.wrk.p99)} ms`);
    }
  }
  console.log(`\n1-minute load average at the end: ${os.loadavg()[0].toFixed(1)}`);
  if (options.json) fs.writeFileSync(options.json, `${JSON.stringify(results, null, 1)}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
