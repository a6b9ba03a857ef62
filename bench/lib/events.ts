// What the SDK-events benches share: a built iterlab on a fresh store of each database with the bench world, timing
// one call, sending payloads to POST /bulk, and timing a fast request one after another while a slow one runs (its
// slowest answer is how long the server could not answer).
import { buildIterlab, freshDatabase, startIterlab, type DbKind } from './iterlab.js';
import { Api, ENV, PROJECT, seedWorld } from './world.js';

/** Runs `body` against iterlab (BENCH_ITERLAB_MAIN's build, else this one) on a fresh store of each database, seeded with the bench world. */
export async function onEachDatabase(dbs: readonly DbKind[], body: (run: { db: DbKind; api: Api; url: string; sdkKey: string; pid: number }) => Promise<void>): Promise<void> {
  const build = buildIterlab();
  try {
    for (const db of dbs) {
      const store = await freshDatabase(db);
      const server = await startIterlab(build.main, store.url);
      try {
        const api = new Api(server.url);
        await seedWorld(api, 0);
        const sdkKey = (await api.ok('GET', `/api/v2/projects/${PROJECT}/environments/${ENV}`, undefined, 200)).apiKey as string;
        await body({ db, api, url: server.url, sdkKey, pid: server.child.pid! });
      } finally {
        await server.stop();
        await store.drop();
      }
    }
  } finally {
    build.remove();
  }
}

/** How long fn took, in milliseconds. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Sends the payloads to POST /bulk one after another (each must be a 202); how long they took, in milliseconds. */
export function postPayloads(url: string, sdkKey: string, payloads: unknown[][]): Promise<number> {
  return timed(async () => {
    for (const payload of payloads) {
      const res = await fetch(`${url}/bulk`, { method: 'POST', headers: { authorization: sdkKey, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      if (res.status !== 202) throw new Error(`POST /bulk: ${res.status} ${await res.text()}`);
    }
  });
}

/** The times of `fast`, sent one after another while each of `rounds` calls of `slow` runs. */
export async function timesBeside(slow: () => Promise<unknown>, fast: () => Promise<unknown>, rounds: number): Promise<number[]> {
  const beside: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let done = false;
    const request = slow().finally(() => (done = true));
    while (!done) beside.push(await timed(fast));
    await request;
  }
  return beside;
}
