// Where the machine's CPU goes while a scenario runs under load: each of iterlab's threads (the event loop, the
// SQLite writer thread, V8's helpers) in µs per answered request and as a share of a core, and the machine's user,
// system and idle shares from /proc/stat (the load generator's share is what is left).
//   npx tsx bench/threads.ts [--db=sqlite|postgres] [--scenario=create-iteration] [--runs=2] [--seconds=5]
// A busy event loop and an idle machine say the requests wait on something (the writer thread's round trip, a
// PostgreSQL batch), not on the CPU. BENCH_ITERLAB_MAIN measures another build, as in run.ts.
import fs from 'node:fs';
import { flagsOf } from './lib/args.js';
import { measure, wrkAvailable } from './lib/load.js';
import { buildIterlab, freshDatabase, startIterlab, type DbKind } from './lib/iterlab.js';
import { CLOCK_TICKS_PER_SECOND, statTicks } from './lib/processes.js';
import { Api, scenarioLoad, scenarios, seedWorld } from './lib/world.js';

const flags = flagsOf(process.argv.slice(2));
const db = (flags.get('db') ?? 'sqlite') as DbKind;
const name = flags.get('scenario') ?? 'create-iteration';
const runs = Number(flags.get('runs') ?? 2);
const seconds = Number(flags.get('seconds') ?? 5);
const tool = wrkAvailable() ? 'wrk' : 'autocannon';

/** The machine's CPU time so far, in clock ticks: [user + nice, system + irq + softirq, idle + iowait, all]. */
function machineTicks(): number[] {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return [user + nice, system + irq + softirq, idle + iowait, user + nice + system + idle + iowait + irq + softirq + (steal ?? 0)];
}

/** Each thread of pid: its [user, system] ticks, by thread id (a thread that ended meanwhile is left out). */
function threadTicks(pid: number): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const ticks = statTicks(`/proc/${pid}/task/${tid}/stat`);
    if (ticks) out.set(tid, ticks);
  }
  return out;
}

const pct = (part: number, whole: number) => `${Math.round((100 * part) / Math.max(1, whole))}%`;
const us = (ticks: number, requests: number) => ((1e6 * ticks) / CLOCK_TICKS_PER_SECOND / Math.max(1, requests)).toFixed(1);

const build = buildIterlab();
const store = await freshDatabase(db);
const server = await startIterlab(build.main, store.url);
try {
  const pid = server.child.pid!;
  await seedWorld(new Api(server.url), 20);
  const scenario = (await scenarios(new Api(server.url))).find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  // A warm-up, not counted.
  await measure(tool, scenarioLoad(server.url, scenario, 10, Math.min(2, seconds), 0), pid);
  for (let run = 1; run <= runs; run++) {
    const machineBefore = machineTicks();
    const before = threadTicks(pid);
    const m = await measure(tool, scenarioLoad(server.url, scenario, 10, seconds, 0), pid);
    const after = threadTicks(pid);
    const [user, system, idle, all] = machineTicks().map((t, i) => t - machineBefore[i]);
    console.log(
      `${db} ${name}, run ${run}: ${Math.round(m.rps).toLocaleString('en-US')} rps, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ${m.errors} errors; ` +
        `machine user ${pct(user, all)} system ${pct(system, all)} idle ${pct(idle, all)}`,
    );
    const rows = [...after]
      .map(([tid, [u, s]]) => {
        const [u0, s0] = before.get(tid) ?? [0, 0];
        return { tid, user: u - u0, system: s - s0, core: (100 * (u - u0 + s - s0)) / CLOCK_TICKS_PER_SECOND / m.seconds };
      })
      // V8's helpers and libuv's pool, each under half a percent of a core, are left out.
      .filter((t) => t.core >= 0.5)
      .sort((a, b) => b.core - a.core);
    for (const t of rows) {
      const label = t.tid === String(pid) ? 'event loop' : `thread ${t.tid}`;
      console.log(`  ${label.padEnd(14)} user ${us(t.user, m.requests).padStart(6)} system ${us(t.system, m.requests).padStart(6)} µs/req, ${t.core.toFixed(0)}% of a core`);
    }
  }
} finally {
  await server.stop();
  await store.drop();
  build.remove();
}
