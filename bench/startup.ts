// How long iterlab takes to start, as a CI job that starts it for its tests waits: from the spawn of `node <build>
// serve` (the start script's flags) to its first answer, and to the first answer of an API call after that; beside,
// in the same run and in turn with it, bare Fastify started the same way (the floor of any Fastify server's start on
// this machine) and node itself (a script that exits at once).
//   npx tsx bench/startup.ts [--runs=10] [--db=sqlite,postgres] [<A main.js>]
// Each iterlab start is on a store of its own: a new one (migrations run) and, once made, the same one again. With a
// build A named, A is started in turn with this tree's build (B) and both are printed: an A/B of a start-up change.
// BENCH_ITERLAB_MAIN names B's build instead of building this tree.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flagsOf } from './lib/args.js';
import { median } from './lib/load.js';
import { buildIterlab, freshDatabase, NODE_FLAGS, type DbKind } from './lib/iterlab.js';
import { freePort, ROOT } from './lib/processes.js';
import { BENCH_TOKEN } from './lib/world.js';

const flags = flagsOf(process.argv.slice(2));
const runs = Number(flags.get('runs') ?? 10);
const dbs = (flags.get('db') ?? 'sqlite,postgres').split(',') as DbKind[];
const other = process.argv.slice(2).find((arg) => !arg.startsWith('--'));

/** ms since t0 (hrtime). */
const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Polls url every 5 ms until it answers (any status); rejects if the process exits first. */
async function firstAnswer(url: string, exited: () => string | undefined): Promise<Response> {
  for (;;) {
    const gone = exited();
    if (gone !== undefined) throw new Error(`exited before answering ${url}:\n${gone}`);
    try {
      return await fetch(url, { signal: AbortSignal.timeout(2_000) });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

interface Timing {
  /** spawn -> first answer */
  ready: number;
  /** spawn -> the answer of the first API call, sent once ready */
  firstCall?: number;
}

/** Spawns node with args, times its first answer on readyPath and (when given) a first call, then stops it. */
async function timeStart(args: string[], env: Record<string, string>, port: number, readyPath: string, call?: { path: string; headers: Record<string, string> }): Promise<Timing> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-10_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = () => (child.exitCode !== null || child.signalCode !== null ? log : undefined);
  try {
    const base = `http://127.0.0.1:${port}`;
    await (await firstAnswer(base + readyPath, exited)).arrayBuffer();
    const ready = since(t0);
    if (!call) return { ready };
    const res = await fetch(base + call.path, { headers: call.headers });
    if (res.status !== 200) throw new Error(`${call.path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return { ready, firstCall: since(t0) };
  } finally {
    if (!exited()) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
  }
}

// Bare Fastify as the ceiling peer is (bench/ceiling.ts) but plain JavaScript, so that no loader is timed: one route.
const fastifyScript = path.join(os.tmpdir(), `iterlab-bench-startup-fastify-${process.pid}.mjs`);
fs.writeFileSync(
  fastifyScript,
  `import Fastify from '${path.join(ROOT, 'node_modules/fastify/fastify.js')}';\n` +
    `const app = Fastify({ logger: false });\napp.get('/', async () => ({ ok: true }));\n` +
    `await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });\n` +
    `process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));\n`,
);

async function nodeAlone(): Promise<number> {
  const t0 = process.hrtime.bigint();
  await new Promise((resolve, reject) => spawn(process.execPath, [...NODE_FLAGS, '-e', '0']).once('exit', resolve).once('error', reject));
  return since(t0);
}

const builds: { name: string; main: string }[] = [];
const build = buildIterlab();
if (other) builds.push({ name: 'A', main: path.resolve(other) });
builds.push({ name: other ? 'B' : 'iterlab', main: build.main });

const env = { LOG_LEVEL: 'warn', ITERLAB_ADMIN_TOKEN: BENCH_TOKEN };
const call = { path: '/api/v2/projects', headers: { authorization: BENCH_TOKEN } };
const fmt = (values: number[]) => `median ${median(values).toFixed(0).padStart(5)} ms, fastest ${Math.min(...values).toFixed(0).padStart(5)} ms`;

try {
  console.log(`iterlab start-up: ${os.cpus().length} cores, node ${process.version}, ${runs} runs of each, taken in turn; node flags ${NODE_FLAGS.join(' ')}`);
  for (const db of dbs) {
    const rows = new Map<string, number[]>();
    const push = (name: string, ms: number | undefined) => ms !== undefined && rows.set(name, [...(rows.get(name) ?? []), ms]);
    const stores = new Map<string, Awaited<ReturnType<typeof freshDatabase>>>();
    try {
      for (let run = 0; run < runs; run++) {
        push('node alone (exits at once)', await nodeAlone());
        push('bare Fastify: listening', (await timeStart([...NODE_FLAGS, fastifyScript], {}, await freePort(), '/')).ready);
        for (const { name, main } of builds) {
          // A new store each run (its migrations run), then the store made by the first run (nothing to migrate).
          const fresh = await freshDatabase(db);
          try {
            const t = await timeStart([...NODE_FLAGS, main, 'serve'], { ...env, DATABASE_URL: fresh.url }, await freePort(), '/healthz', call);
            push(`${name}, new store: listening`, t.ready);
            push(`${name}, new store: first API call answered`, t.firstCall);
          } finally {
            await fresh.drop();
          }
          let kept = stores.get(name);
          if (!kept) {
            kept = await freshDatabase(db);
            stores.set(name, kept);
            await timeStart([...NODE_FLAGS, main, 'serve'], { ...env, DATABASE_URL: kept.url }, await freePort(), '/healthz');
          }
          const t = await timeStart([...NODE_FLAGS, main, 'serve'], { ...env, DATABASE_URL: kept.url }, await freePort(), '/healthz', call);
          push(`${name}, existing store: listening`, t.ready);
          push(`${name}, existing store: first API call answered`, t.firstCall);
        }
      }
    } finally {
      for (const store of stores.values()) await store.drop();
    }
    console.log(`\n${db}: from the spawn of node`);
    for (const [name, values] of rows) console.log(`  ${name.padEnd(48)} ${fmt(values)}`);
  }
} finally {
  fs.rmSync(fastifyScript, { force: true });
  build.remove();
}
