// A list of experiments right after a write, when the response cache has just been emptied, on a small store and
// on one with 10,000 more experiments (10 iterations each): what "list experiments costs O(page)" means for the
// first list after each write, where the warm list (the harness's scenario) is answered from the cache. One request
// at a time: a create iteration (which empties the project's cached answers), the list, the same list again (warm).
//   npx tsx bench/cold-list.ts [--db=sqlite,postgres] [--rounds=300] [--experiments=10000]
// BENCH_ITERLAB_MAIN measures another build, as in run.ts. Times are the client's, wall clock: the warm list's
// time is mostly the client and the HTTP round trip, so "cold - warm" is what recomputing the answer costs.
import { flagsOf } from './lib/args.js';
import { bulkSeed } from './lib/bulk.js';
import { median } from './lib/load.js';
import { buildIterlab, freshDatabase, startIterlab, type DbKind } from './lib/iterlab.js';
import { Api, scenarios, seedWorld } from './lib/world.js';

const flags = flagsOf(process.argv.slice(2));
const dbs = (flags.get('db') ?? 'sqlite,postgres').split(',') as DbKind[];
const rounds = Number(flags.get('rounds') ?? 300);
const experiments = Number(flags.get('experiments') ?? 10_000);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Median ms of the list right after a write, and warm. */
async function measure(api: Api): Promise<{ cold: number; warm: number; total: number }> {
  const all = await scenarios(api);
  const create = all.find((s) => s.name === 'create-iteration')!;
  const list = all.find((s) => s.name === 'list-experiments')!;
  const cold: number[] = [];
  const warm: number[] = [];
  let total = 0;
  for (let i = 0; i < rounds; i++) {
    await api.ok('POST', create.path, create.body, 200);
    cold.push(await timed(async () => (total = (await api.ok('GET', list.path, undefined, 200)).total_count)));
    warm.push(await timed(() => api.ok('GET', list.path, undefined, 200)));
  }
  return { cold: median(cold), warm: median(warm), total };
}

const build = buildIterlab();
/** fn with iterlab serving databaseUrl, stopped after (also when fn fails, so that the script ends). */
async function served<T>(databaseUrl: string, fn: (api: Api) => Promise<T>): Promise<T> {
  const server = await startIterlab(build.main, databaseUrl);
  try {
    return await fn(new Api(server.url));
  } finally {
    await server.stop();
  }
}

try {
  for (const db of dbs) {
    const store = await freshDatabase(db);
    try {
      const small = await served(store.url, async (api) => {
        await seedWorld(api, 20);
        return measure(api);
      });
      await bulkSeed(store.url, experiments, 10);
      const large = await served(store.url, measure);
      const line = (label: string, m: typeof small) =>
        `  ${label.padEnd(22)} ${String(m.total).padStart(6)} experiments: after a write ${m.cold.toFixed(2)} ms, warm ${m.warm.toFixed(2)} ms, cold - warm ${(m.cold - m.warm).toFixed(2)} ms`;
      console.log(`${db}: list experiments (page of 20), ${rounds} rounds, medians`);
      console.log(line('small store', small));
      console.log(line('large store', large));
    } finally {
      await store.drop();
    }
  }
} finally {
  build.remove();
}
