// Webhooks: what a webhook that is on costs the writes, and how soon and how fast their entries are delivered. On
// one server, in `--rounds` rounds that alternate a webhook off and on (this VM's speed drifts within minutes, so the
// two are measured side by side), `--clients` clients each PATCH a flag of their own `--writes` times in all. It
// prints writes per second with the webhook off and on (the outbox row each entry leaves, and the deliveries made
// meanwhile on the same event loop), the server's CPU time per write (with the webhook on, up to the round's last
// delivery: the load generator and the receiver share this machine's two cores, so writes per second alone would
// count their work too), and for the deliveries: from each entry's `date` to its arrival at a local receiver
// (median, p99, slowest), and the time from the round's first write to its last delivery.
//   npx tsx bench/webhooks.ts [--db=sqlite,postgres] [--clients=10] [--writes=2000] [--rounds=4]
// BENCH_ITERLAB_MAIN measures another build, as in run.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { flagsOf } from './lib/args.js';
import { onEachDatabase } from './lib/events.js';
import { CLOCK_TICKS_PER_SECOND, cpuTime } from './lib/processes.js';
import type { DbKind } from './lib/iterlab.js';
import { median } from './lib/load.js';
import { ENV, PROJECT, type Api } from './lib/world.js';

const flags = flagsOf(process.argv.slice(2));
const dbs = (flags.get('db') ?? 'sqlite,postgres').split(',') as DbKind[];
const clients = Number(flags.get('clients') ?? 10);
const writes = Number(flags.get('writes') ?? 2000);
const rounds = Number(flags.get('rounds') ?? 4);

/** A receiver that notes, for each POST, its entry's `date` and when it arrived (both epoch ms, this machine's clock). */
async function startReceiver(): Promise<{ url: string; arrivals: { date: number; at: number }[]; close(): void }> {
  const arrivals: { date: number; at: number }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrivals.push({ date: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { date: number }).date, at: Date.now() });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, arrivals, close: () => server.close() };
}

/** `writes` flag PATCHes by `clients` clients at once, each on its own flag; writes per second. */
async function writeRound(api: Api, round: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (next < writes) {
        const i = next++;
        await api.ok('PATCH', `/api/v2/flags/${PROJECT}/hook-flag-${c}`, [{ op: 'replace', path: '/description', value: `round ${round} write ${i}` }], 200);
      }
    }),
  );
  return writes / ((performance.now() - start) / 1000);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const line = (label: string, text: string) => console.log(`  ${label.padEnd(44)} ${text}`);

await onEachDatabase(dbs, async ({ db, api, pid }) => {
  const cpuMs = () => (cpuTime(pid)!.total * 1000) / CLOCK_TICKS_PER_SECOND;
  for (let c = 0; c < clients; c++) await api.ok('POST', `/api/v2/flags/${PROJECT}`, { key: `hook-flag-${c}`, name: `Hook flag ${c}` }, 201);
  const receiver = await startReceiver();
  try {
    const hook = await api.ok('POST', '/api/v2/webhooks', { url: receiver.url, sign: true, on: false, statements: [{ effect: 'allow', resources: [`proj/${PROJECT}:env/*:flag/*`], actions: ['*'] }] }, 200);
    console.log(`${db}: ${rounds} rounds of ${writes} flag PATCHes by ${clients} clients, a signed webhook off and on in turn`);
    const off: number[] = [];
    const on: number[] = [];
    const cpu = { off: [] as number[], on: [] as number[] };
    const latencies: number[] = [];
    const drains: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const enabled = round % 2 === 1;
      await api.ok('PATCH', `/api/v2/webhooks/${hook._id}`, [{ op: 'replace', path: '/on', value: enabled }], 200);
      receiver.arrivals.length = 0;
      const first = Date.now();
      const cpuBefore = cpuMs();
      const rate = await writeRound(api, round);
      (enabled ? on : off).push(rate);
      const perWrite = () => ((cpuMs() - cpuBefore) * 1000) / writes;
      if (!enabled) {
        cpu.off.push(perWrite());
        line(`round ${round + 1}, webhook off`, `${rate.toFixed(0)} writes/s, server CPU ${cpu.off.at(-1)!.toFixed(0)} µs a write`);
        continue;
      }
      const deadline = Date.now() + 120_000;
      while (receiver.arrivals.filter((a) => a.date >= first).length < writes && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const mine = receiver.arrivals.filter((a) => a.date >= first);
      if (mine.length < writes) throw new Error(`only ${mine.length} of ${writes} deliveries arrived within two minutes`);
      cpu.on.push(perWrite());
      line(`round ${round + 1}, webhook on`, `${rate.toFixed(0)} writes/s, server CPU ${cpu.on.at(-1)!.toFixed(0)} µs a write and its delivery`);
      latencies.push(...mine.map((a) => a.at - a.date));
      drains.push(Math.max(...mine.map((a) => a.at)) - first);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    line('server CPU a write, webhook off / on', `${median(cpu.off).toFixed(0)} / ${median(cpu.on).toFixed(0)} µs (medians of rounds; CPU time has 10 ms ticks)`);
    line('writes/s, webhook off (median of rounds)', `${median(off).toFixed(0)}`);
    line('writes/s, webhook on (median of rounds)', `${median(on).toFixed(0)} (${(median(on) / median(off)).toFixed(3)} of off)`);
    line('delivery, entry date to arrival', `median ${median(sorted).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, slowest ${sorted[sorted.length - 1].toFixed(0)} ms (${sorted.length} deliveries)`);
    line('first write to last delivery (median)', `${median(drains).toFixed(0)} ms for ${writes} entries`);
  } finally {
    receiver.close();
  }
});
