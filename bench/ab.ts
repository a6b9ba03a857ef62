// An A/B of two builds of iterlab in one sitting: both servers up at once, each on a store of its own with the bench
// world, and the load generator alternating between them in short slices (A B, B A, A B, ...). This VM's speed drifts
// by 2x within minutes, so runs taken one after the other differ by more than most changes do; slices taken side
// by side see the same machine, and the median of the pairs' ratios is the figure.
//
//   npx tsx bench/ab.ts <A main.js> [<B main.js>] [--db=sqlite|postgres] [--only=create-iteration] [--slices=16] [--seconds=3]
//                       [--node-flags-a="--flag ..."] [--node-flags-b="--flag ..."]
//
// --node-flags-a / -b add node flags to one side (after the start script's): A and B may be one build, to measure a
// flag. One build against itself is also the control: two identical servers have differed by 1.3x in one sitting
// (bench/README.md, the ninth round), so a difference seen once is worth an A/A beside it.
//
// A build is another commit's output kept inside the repository (so that it finds node_modules), e.g. `git worktree
// add /tmp/a <commit>`, then `npx esbuild /tmp/a/src/main.ts --bundle --platform=node --format=esm
// --packages=external --outfile=.bench/a/main.js` (scripts/build.mjs's bundle), or for a commit from before the
// bundle (2026-12-07) `npx tsc -p /tmp/a/tsconfig.build.json --outDir .bench/a`; without B, this tree is built and
// measured as B.
import path from 'node:path';
import { flagsOf } from './lib/args.js';
import { measure, median, wrkAvailable, type Measured } from './lib/load.js';
import { buildIterlab, flagWords, freshDatabase, startIterlab, type Database, type DbKind } from './lib/iterlab.js';
import type { Started } from './lib/processes.js';
import { Api, scenarioLoad, scenarios, seedWorld, type Scenario } from './lib/world.js';

const args = process.argv.slice(2);
const flags = flagsOf(args);
const [mainA, mainB] = args.filter((a) => !a.startsWith('--'));
if (!mainA) throw new Error('usage: npx tsx bench/ab.ts <A main.js> [<B main.js>] [--db=sqlite|postgres] [--only=create-iteration] [--slices=16] [--seconds=3] [--node-flags-a=...] [--node-flags-b=...]');
const db = (flags.get('db') ?? 'sqlite') as DbKind;
const only = flags.get('only') ?? 'create-iteration';
const slices = Number(flags.get('slices') ?? 16);
const seconds = Number(flags.get('seconds') ?? 3);
const tool = wrkAvailable() ? 'wrk' : 'autocannon';

interface Side {
  label: string;
  store: Database;
  server: Started;
  scenario: Scenario;
  runs: Measured[];
}

const nodeFlags = { a: flagWords(flags.get('node-flags-a')), b: flagWords(flags.get('node-flags-b')) };

async function side(label: string, main: string, extraFlags: string[]): Promise<Side> {
  const store = await freshDatabase(db);
  const server = await startIterlab(main, store.url, undefined, extraFlags);
  await seedWorld(new Api(server.url), 20);
  const scenario = (await scenarios(new Api(server.url))).find((s) => s.name === only);
  if (!scenario) throw new Error(`no scenario ${only}`);
  return { label, store, server, scenario, runs: [] };
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');

const built = mainB ? undefined : buildIterlab();
const sides: Side[] = [];
try {
  sides.push(await side('A', path.resolve(mainA), nodeFlags.a));
  sides.push(await side('B', mainB ? path.resolve(mainB) : built!.main, nodeFlags.b));
  const [a, b] = sides;
  const load = (s: Side, secs: number) => measure(tool, scenarioLoad(s.server.url, s.scenario, 10, secs, 0), s.server.child.pid!);
  // A warm-up each, not counted.
  await load(a, 2);
  await load(b, 2);
  for (let i = 0; i < slices; i++) {
    for (const s of i % 2 ? [b, a] : [a, b]) {
      const run = await load(s, seconds);
      if (run.errors > 0) throw new Error(`${s.label}: ${run.errors} errors`);
      s.runs.push(run);
    }
  }
  const withFlags = (extra: string[]) => (extra.length > 0 ? ` ${extra.join(' ')}` : '');
  console.log(`${db} ${only}: ${slices} pairs of ${seconds} s slices, 10 connections, ${tool}; A = ${mainA}${withFlags(nodeFlags.a)}, B = ${mainB ?? 'this tree'}${withFlags(nodeFlags.b)}`);
  for (const s of sides) {
    const cpu = (pick: (m: Measured) => number | undefined) => f0(median(s.runs.map((r) => pick(r) ?? NaN)));
    console.log(
      `  ${s.label}: median ${f0(median(s.runs.map((r) => r.rps)))} rps (slices ${s.runs.map((r) => f0(r.rps)).join(' ')}), ` +
        `p99 ${median(s.runs.map((r) => r.p99)).toFixed(2)} ms, CPU µs/req ${cpu((r) => r.cpuUs?.total)} / event loop ${cpu((r) => r.cpuUs?.main)}`,
    );
  }
  const ratios = a.runs.map((r, i) => b.runs[i].rps / r.rps);
  const loops = a.runs.map((r, i) => (b.runs[i].cpuUs?.main ?? NaN) / (r.cpuUs?.main ?? NaN));
  console.log(
    `  B/A requests/s: median ${median(ratios).toFixed(3)} (pairs ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}); ` +
      `B/A event loop µs per request: median ${median(loops).toFixed(3)}`,
  );
} finally {
  for (const s of sides) {
    await s.server.stop();
    await s.store.drop();
  }
  built?.remove();
}
