// The server-side SDKs' two data protocols on one server, each measured alone in turn: FDv1 (GET /all, GET
// /sdk/latest-all) and FDv2 (GET /sdk/stream, GET /sdk/poll), with `--flags` flags in the environment. It prints:
//   - polls, one at a time: /sdk/latest-all, /sdk/poll, and /sdk/poll with a current basis (`none`);
//   - for each protocol, `--streams` streams opened one after another: the first (which reads the flags) and the
//     others (the environment's flags already held for the open ones), to their first payload; on FDv2 also
//     reconnects with a current basis while the others are open (a whole payload all the same: a stream's basis
//     may be stale, docs/compatibility.md "FDv2");
//   - then `--rounds` flag PATCHes, and how long each takes to reach every open stream (from sending the PATCH to
//     each stream's event: FDv1's `patch`, FDv2's `payload-transferred`).
// Times are median and slowest; bytes are what a connection read up to that event.
//   npx tsx bench/sdk-streams.ts [--db=sqlite,postgres] [--flags=500] [--streams=100] [--rounds=20]
// BENCH_ITERLAB_MAIN measures another build, as in run.ts.
import http from 'node:http';
import { flagsOf } from './lib/args.js';
import { onEachDatabase, timed } from './lib/events.js';
import type { DbKind } from './lib/iterlab.js';
import { median } from './lib/load.js';
import { ENV, PROJECT, type Api } from './lib/world.js';

const flags = flagsOf(process.argv.slice(2));
const dbs = (flags.get('db') ?? 'sqlite,postgres').split(',') as DbKind[];
const flagCount = Number(flags.get('flags') ?? 500);
const streamCount = Number(flags.get('streams') ?? 100);
const rounds = Number(flags.get('rounds') ?? 20);
const FLAG = 'patch-flag';

interface Stream {
  /** Resolves at the next event of this name, with when it came (ms, performance.now()) and the bytes read so far. */
  next(event: string): Promise<{ at: number; bytes: number }>;
  close(): void;
}

/**
 * Opens an SSE stream. Its events are kept as they come, by name, so that one that comes before anyone waits for it
 * (with the headers, in the same packet) is not lost; `next` takes them in order.
 */
function openStream(url: string, path: string, sdkKey: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const seen = new Map<string, { at: number; bytes: number }[]>();
    const waiting = new Map<string, ((e: { at: number; bytes: number }) => void)[]>();
    const req = http.get(url + path, { headers: { authorization: sdkKey }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`GET ${path}: ${res.statusCode}`));
      let pending = '';
      let bytes = 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        bytes += Buffer.byteLength(chunk);
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          if (!name) continue;
          const event = { at: performance.now(), bytes };
          const wake = waiting.get(name)?.shift();
          if (wake) wake(event);
          else seen.set(name, [...(seen.get(name) ?? []), event]);
        }
      });
      resolve({
        next: (name) =>
          new Promise((wake) => {
            const early = seen.get(name)?.shift();
            if (early) wake(early);
            else waiting.set(name, [...(waiting.get(name) ?? []), wake]);
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

function figures(times: number[]): string {
  return `median ${median(times).toFixed(1)} ms, slowest ${Math.max(...times).toFixed(1)} ms`;
}

async function addFlags(api: Api): Promise<void> {
  for (let i = 0; i < flagCount; i++) {
    await api.ok('POST', `/api/v2/flags/${PROJECT}`, { key: `sdk-flag-${i}`, name: `SDK flag ${i}`, variations: [{ value: `a-${i}` }, { value: `b-${i}` }] }, 201);
  }
}

interface Protocol {
  name: string;
  path: string;
  /** The event that ends a connection's first payload, and the one that ends a change. */
  first: string;
  changed: string;
}

const PROTOCOLS: Protocol[] = [
  { name: 'FDv1 GET /all', path: '/all', first: 'put', changed: 'patch' },
  { name: 'FDv2 GET /sdk/stream', path: '/sdk/stream', first: 'payload-transferred', changed: 'payload-transferred' },
];

/** Opens a stream and waits for its first payload; how long that took and what was read. */
async function connect(url: string, path: string, sdkKey: string, until: string): Promise<{ stream: Stream; ms: number; bytes: number }> {
  const start = performance.now();
  const stream = await openStream(url, path, sdkKey);
  const first = await stream.next(until);
  return { stream, ms: first.at - start, bytes: first.bytes };
}

const line = (label: string, text: string) => console.log(`  ${label.padEnd(54)} ${text}`);
const bytesText = (bytes: number) => `${bytes.toLocaleString('en-US')} bytes`;

await onEachDatabase(dbs, async ({ db, api, url, sdkKey }) => {
  await addFlags(api);
  const get = async (path: string) => {
    const res = await fetch(url + path, { headers: { authorization: sdkKey } });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    return res.text();
  };
  const currentState = async () => (JSON.parse(await get('/sdk/poll')) as { events: { data: { state?: string } }[] }).events.at(-1)!.data.state!;
  console.log(`${db}: ${flagCount} flags added; ${streamCount} streams of each protocol; ${rounds} rounds`);

  const state = await currentState();
  for (const [label, path] of [
    ['poll FDv1 GET /sdk/latest-all', '/sdk/latest-all'],
    ['poll FDv2 GET /sdk/poll', '/sdk/poll'],
    ['poll FDv2 GET /sdk/poll?basis (none)', `/sdk/poll?basis=${encodeURIComponent(state)}`],
  ]) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < rounds; i++) times.push(await timed(async () => (bytes = Buffer.byteLength(await get(path)))));
    line(label, `${figures(times)}; ${bytesText(bytes)}`);
  }

  for (const protocol of PROTOCOLS) {
    const open: Stream[] = [];
    try {
      const first = await connect(url, protocol.path, sdkKey, protocol.first);
      open.push(first.stream);
      line(`${protocol.name}: the first stream`, `${first.ms.toFixed(1)} ms; ${bytesText(first.bytes)}`);
      const others: number[] = [];
      while (open.length < streamCount) {
        const next = await connect(url, protocol.path, sdkKey, protocol.first);
        open.push(next.stream);
        others.push(next.ms);
      }
      if (others.length > 0) line(`${protocol.name}: each other stream`, figures(others));
      if (protocol.path === '/sdk/stream') {
        const basis = `/sdk/stream?basis=${encodeURIComponent(await currentState())}`;
        const resumed: number[] = [];
        let bytes = 0;
        for (let i = 0; i < rounds; i++) {
          const again = await connect(url, basis, sdkKey, protocol.first);
          again.stream.close();
          resumed.push(again.ms);
          bytes = again.bytes;
        }
        line(`${protocol.name}?basis: a reconnect`, `${figures(resumed)}; ${bytesText(bytes)}`);
      }

      const patches: number[] = [];
      const arrivals: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const heard = open.map((stream) => stream.next(protocol.changed));
        const start = performance.now();
        await api.ok('PATCH', `/api/v2/flags/${PROJECT}/${FLAG}`, [{ op: 'replace', path: `/environments/${ENV}/on`, value: i % 2 === 0 }], 200);
        patches.push(performance.now() - start);
        for (const event of await Promise.all(heard)) arrivals.push(event.at - start);
      }
      line(`${protocol.name}: flag PATCH answered`, figures(patches));
      line(`${protocol.name}: the change reached every stream`, `${figures(arrivals)} (${arrivals.length} arrivals)`);
    } finally {
      for (const stream of open) stream.close();
    }
  }
});
