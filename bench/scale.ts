// Throughput of one authenticated GET against 1..N instances on one store, with autocannon spreading the
// connections over the instances (as a round-robin balancer would). Prints one line per configuration.
//   npx tsx bench/scale.ts [--instances 1,2,3] [--store postgres|sqlite] [--redis] [--duration 10]
//                          [--connections 30] [--path /api/v2/projects/bench] [--root DIR]
// --root runs another checkout's src/main.ts (e.g. an older commit, for before/after figures).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Cluster } from '../test/support/cluster.js';
import { freshDatabase } from '../test/support/db.js';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '1,2,3' },
    store: { type: 'string', default: 'postgres' },
    redis: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '30' },
    path: { type: 'string', default: '/api/v2/projects/bench' },
    root: { type: 'string' },
  },
});

async function run(instances: number): Promise<void> {
  const admin = `api-${crypto.randomUUID()}`;
  const database = values.store === 'postgres' ? await freshDatabase('postgres') : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-bench-'));
  const env: Record<string, string> = {
    DATABASE_URL: database?.url ?? `sqlite:${path.join(dir, 'bench.db')}`,
    ITERLAB_ADMIN_TOKEN: admin,
    LOG_LEVEL: 'warn',
    // the benchmark measures serving, not refusing
    RATE_LIMIT_GLOBAL_PER_10S: '1000000000',
    RATE_LIMIT_ROUTE_PER_10S: '1000000000',
  };
  if (values.redis) Object.assign(env, { REDIS_URL: process.env.REDIS_URL_FOR_TESTS || 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `bench:${crypto.randomBytes(4).toString('hex')}:` });
  const cluster = await Cluster.start(instances, env, values.root ? path.resolve(values.root) : undefined);
  try {
    const created = await cluster.next().call('POST', '/api/v2/projects', { token: admin, body: { key: 'bench', name: 'Bench' } });
    if (created.status !== 201) throw new Error(`could not create the bench project: ${created.status}`);
    const result = await autocannon({
      // autocannon spreads connections over an array of URLs; its typings only know one
      url: cluster.instances.map((i) => `${i.url}${values.path}`) as unknown as string,
      connections: Number(values.connections),
      duration: Number(values.duration),
      headers: { authorization: admin },
    });
    const errors = result.non2xx + result.errors + result.timeouts;
    process.stdout.write(
      `${values.store}${values.redis ? '+redis' : ''} instances=${instances} connections=${values.connections} ${values.duration}s GET ${values.path}: ` +
        `${Math.round(result.requests.average)} req/s (total ${result.requests.total}), latency p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms, non-2xx/errors ${errors}\n`,
    );
  } finally {
    await cluster.close();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const n of values.instances!.split(',').map(Number)) await run(n);
