// iterlab as the harness runs it: built as `npm run build` builds it, started as `npm start` starts it, on a
// database of its own.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, ROOT, start, type Started } from './processes.js';
import { BENCH_TOKEN } from './world.js';

export type DbKind = 'sqlite' | 'postgres';

export interface Database {
  url: string;
  drop(): Promise<void>;
}

export const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export async function freshDatabase(kind: DbKind): Promise<Database> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-bench-'));
    return { url: `sqlite:${dir}/bench.db`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `iterlab_bench_${crypto.randomBytes(5).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/**
 * iterlab runs as `npm start` runs it: the bundle `npm run build` makes (scripts/build.mjs), under node. (Under tsx's
 * loader its RSS is ~55 MB larger: the loader's own thread and transform cache.) Built into a directory of this
 * run's own, so runs never share one.
 */
export function buildIterlab(): { main: string; remove(): void } {
  // An A/B against another commit: BENCH_ITERLAB_MAIN names that commit's build (its main.js), measured as it is.
  if (process.env.BENCH_ITERLAB_MAIN) return { main: path.resolve(process.env.BENCH_ITERLAB_MAIN), remove: () => undefined };
  const out = path.join(ROOT, '.bench', `build-${process.pid}`);
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), path.join(out, 'main.js')], { cwd: ROOT, stdio: 'inherit' });
  return { main: path.join(out, 'main.js'), remove: () => fs.rmSync(out, { recursive: true, force: true }) };
}

/**
 * The node flags `npm start` gives iterlab (package.json's start script), so that iterlab is measured as it runs.
 * BENCH_NODE_FLAGS adds to them.
 */
function startScriptNodeFlags(script: string): string[] {
  const [command, ...words] = script.trim().split(/\s+/);
  if (command !== 'node') return [];
  const flags: string[] = [];
  for (const word of words) {
    if (!word.startsWith('--')) break;
    flags.push(word);
  }
  return flags;
}
/** Node flags given as one text ("--a --b=1"), as a list. */
export const flagWords = (text: string | undefined): string[] => (text ?? '').split(' ').filter(Boolean);

export const NODE_FLAGS = [
  ...startScriptNodeFlags((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start),
  ...flagWords(process.env.BENCH_NODE_FLAGS),
];

/**
 * iterlab's build `main` (a main.js) serving databaseUrl, as `npm start` runs it, without rate limits; extraFlags
 * are node flags after the start script's (bench/ab.ts's --node-flags-a and -b).
 */
export async function startIterlab(main: string, databaseUrl: string, cpuProf?: string, extraFlags: string[] = []): Promise<Started> {
  const port = await freePort();
  return start({
    name: 'iterlab',
    command: process.execPath,
    args: [...NODE_FLAGS, ...extraFlags, ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : []), main, 'serve'],
    port,
    readyPath: '/api/v2',
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ITERLAB_ADMIN_TOKEN: BENCH_TOKEN,
      RATE_LIMIT_GLOBAL_PER_10S: '0',
      RATE_LIMIT_ROUTE_PER_10S: '0',
      LOG_LEVEL: 'warn',
    },
  });
}
