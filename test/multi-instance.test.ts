// Three real instances (child processes) on one PostgreSQL database and one Redis, driven round-robin as a load
// balancer would: every write is read back through another instance, and one instance is SIGKILLed mid-run.
//
// To add a story (experiments, iterations, start/stop races): write `async (c: Ctx) => { ... }` below, using
// c.write(...) for writes (round-robin, status checked), c.readBack(...) to read through another instance,
// c.cluster.race(...) to send one request through all instances at once, and c.ledger.add(...) for every
// acknowledged write that must survive; then add it to STORIES (and, if it should run during the crash, CHURN).
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type CallOptions, type HttpResponse, type Instance } from './support/cluster.js';
import { freshDatabase, testDb, type FreshDatabase } from './support/db.js';
import { REDIS_URL_FOR_TESTS, redisAvailable, uniquePrefix } from './support/redis.js';

const redisUp = testDb === 'postgres' ? await redisAvailable() : false;

/** Every acknowledged write, with how to check through any instance that it is there. */
class Ledger {
  readonly entries: { what: string; check: (via: Instance) => Promise<void> }[] = [];
  add(what: string, check: (via: Instance) => Promise<void>): void {
    this.entries.push({ what, check });
  }
  async verifyThrough(via: Instance): Promise<void> {
    for (const entry of this.entries) {
      try {
        await entry.check(via);
      } catch (err) {
        throw new Error(`${entry.what}, read through ${via.name}: ${(err as Error).message}`);
      }
    }
  }
}

interface Ctx {
  cluster: Cluster;
  admin: string;
  ledger: Ledger;
  unique(prefix: string): string;
  /** A write through the next instance in turn; fails the test unless it answers `status`. */
  write<T = any>(method: string, path: string, body: unknown, status: number, options?: CallOptions): Promise<{ via: Instance; res: HttpResponse<T> }>;
  /** A GET (as admin unless a token is given) through another instance than `via`. */
  readBack<T = any>(via: Instance, path: string, options?: CallOptions): Promise<HttpResponse<T>>;
}

type Story = (c: Ctx) => Promise<void>;

const projectsAndEnvironments: Story = async (c) => {
  for (let i = 0; i < 4; i++) {
    const key = c.unique('proj');
    const { via } = await c.write('POST', '/api/v2/projects', { key, name: `Project ${i}` }, 201);
    const read = await c.readBack(via, `/api/v2/projects/${key}?expand=environments`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ key, name: `Project ${i}` });
    c.ledger.add(`project ${key}`, async (at) => expect((await at.call('GET', `/api/v2/projects/${key}`, { token: c.admin })).body).toMatchObject({ key }));

    const env = await c.write('POST', `/api/v2/projects/${key}/environments`, { key: 'staging', name: 'Staging', color: '00AA00' }, 201);
    const envRead = await c.readBack(env.via, `/api/v2/projects/${key}/environments/staging`);
    expect(envRead.status).toBe(200);
    expect(envRead.body).toMatchObject({ key: 'staging', name: 'Staging', color: '00AA00' });
    const listed = await c.readBack(env.via, `/api/v2/projects/${key}/environments`);
    expect(listed.body.items.map((e: { key: string }) => e.key).sort()).toEqual(['production', 'staging', 'test']);
    c.ledger.add(`environment ${key}/staging`, async (at) => expect((await at.call('GET', `/api/v2/projects/${key}/environments/staging`, { token: c.admin })).status).toBe(200));
  }
};

const settingsAndContextKinds: Story = async (c) => {
  const key = c.unique('settings');
  await c.write('POST', '/api/v2/projects', { key, name: 'Settings' }, 201);
  for (const [i, unit] of ['device', 'account', 'organization'].entries()) {
    const { via } = await c.write('PUT', `/api/v2/projects/${key}/experimentation-settings`, { randomizationUnits: [{ randomizationUnit: 'user' }, { randomizationUnit: unit, default: true }] }, 200);
    const read = await c.readBack(via, `/api/v2/projects/${key}/experimentation-settings`);
    expect(read.body.randomizationUnits.find((u: { default: boolean }) => u.default).randomizationUnit, `round ${i}`).toBe(unit);
    const kind = await c.write('PUT', `/api/v2/projects/${key}/context-kinds/${unit}`, { name: `The ${unit}`, description: `round ${i}` }, 200);
    const kinds = await c.readBack(kind.via, `/api/v2/projects/${key}/context-kinds`);
    expect(kinds.body.items.find((k: { key: string }) => k.key === unit)).toMatchObject({ name: `The ${unit}`, description: `round ${i}` });
  }
  c.ledger.add(`settings of ${key}`, async (at) => {
    const read = await at.call('GET', `/api/v2/projects/${key}/experimentation-settings`, { token: c.admin });
    expect(read.body.randomizationUnits.find((u: { default: boolean }) => u.default).randomizationUnit).toBe('organization');
  });
};

const accessTokens: Story = async (c) => {
  for (let i = 0; i < 3; i++) {
    const { via, res } = await c.write('POST', '/api/v2/tokens', { name: c.unique('token'), role: 'writer' }, 201);
    const { _id: id, token } = res.body as { _id: string; token: string };
    // usable at once through every instance
    for (const at of c.cluster.live()) expect((await at.call('GET', '/api/v2/projects', { token })).status, at.name).toBe(200);
    expect((await c.readBack(via, `/api/v2/tokens/${id}`)).status).toBe(200);
    // revoked through one, refused by every other on its very next request
    const revoker = c.cluster.next();
    expect((await revoker.call('DELETE', `/api/v2/tokens/${id}`, { token: c.admin })).status).toBe(204);
    for (const at of c.cluster.live().filter((x) => x !== revoker)) {
      const next = await at.call('GET', '/api/v2/projects', { token });
      expect(next.status, `${at.name} after revocation through ${revoker.name}`).toBe(401);
    }
    c.ledger.add(`revocation of token ${id}`, async (at) => expect((await at.call('GET', `/api/v2/tokens/${id}`, { token: c.admin })).status).toBe(404));
  }
};

const oneRateLimitBudget: Story = async (c) => {
  const { res } = await c.write('POST', '/api/v2/tokens', { name: c.unique('budget'), role: 'reader' }, 201);
  const seen = [];
  for (const at of [...c.cluster.live(), ...c.cluster.live()]) {
    seen.push(Number((await at.call('GET', '/api/v2/projects', { token: res.body.token })).headers.get('x-ratelimit-global-remaining')));
  }
  const first = seen[0];
  expect(seen).toEqual(seen.map((_, i) => first - i));
};

const racingCreates: Story = async (c) => {
  const key = c.unique('race');
  const answers = await c.cluster.race('POST', '/api/v2/projects', { token: c.admin, body: { key, name: 'Raced' } });
  expect(answers.map((a) => a.status).sort()).toEqual([201, ...answers.slice(1).map(() => 409)]);
  c.ledger.add(`raced project ${key}`, async (at) => expect((await at.call('GET', `/api/v2/projects/${key}`, { token: c.admin })).status).toBe(200));
};

/** A project with an on flag and a metric; returns what an IterationInput needs. */
async function experimentWorld(c: Ctx): Promise<{ project: string; variations: string[]; iteration: () => Promise<Record<string, unknown>> }> {
  const project = c.unique('exp');
  await c.write('POST', '/api/v2/projects', { key: project, name: 'Experiments' }, 201);
  const flag = await c.write('POST', `/api/v2/flags/${project}`, { key: 'button', name: 'Button' }, 201);
  const variations = (flag.res.body.variations as { _id: string }[]).map((v) => v._id);
  await c.write('PATCH', `/api/v2/flags/${project}/button`, [{ op: 'replace', path: '/environments/production/on', value: true }], 200);
  await c.write('POST', `/api/v2/metrics/${project}`, { key: 'clicks', name: 'Clicks', kind: 'custom', eventKey: 'click', isNumeric: false }, 201);
  const iteration = async () => {
    const flagNow = await c.cluster.next().call('GET', `/api/v2/flags/${project}/button`, { token: c.admin });
    return {
      hypothesis: 'it helps',
      metrics: [{ key: 'clicks' }],
      primarySingleMetricKey: 'clicks',
      treatments: [
        { name: 'Control', baseline: true, allocationPercent: '50', parameters: [{ flagKey: 'button', variationId: variations[0] }] },
        { name: 'New', baseline: false, allocationPercent: '50', parameters: [{ flagKey: 'button', variationId: variations[1] }] },
      ],
      flags: { button: { ruleId: 'fallthrough', flagConfigVersion: flagNow.body.environments.production.version } },
    };
  };
  return { project, variations, iteration };
}

const experimentStory: Story = async (c) => {
  const { project, variations, iteration } = await experimentWorld(c);
  const base = `/api/v2/projects/${project}/environments/production/experiments`;
  const keys = ['one', 'two', 'three'];
  for (const key of keys) {
    const { via } = await c.write('POST', base, { key, name: key, iteration: await iteration() }, 201);
    expect((await c.readBack(via, `${base}/${key}`)).body.currentIteration.status).toBe('not_started');
  }

  // concurrent create iteration on one experiment through every instance: one draft remains, an acknowledged one
  const body = await iteration();
  const drafts = await c.cluster.race('POST', `${base}/one/iterations`, { token: c.admin, body });
  expect(drafts.map((d) => d.status)).toEqual(drafts.map(() => 200));
  for (const at of c.cluster.live()) {
    const draft = (await at.call('GET', `${base}/one?expand=draftIteration`, { token: c.admin })).body.draftIteration._id;
    expect(drafts.map((d) => d.body._id)).toContain(draft);
  }

  // three experiments on the same rule started at once, each through another instance: exactly one runs
  const live = c.cluster.live();
  const starts = await Promise.all(keys.map((key, i) => live[i % live.length].call('PATCH', `${base}/${key}`, { token: c.admin, body: { instructions: [{ kind: 'startIteration' }] } })));
  expect(starts.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  const winner = keys[starts.findIndex((r) => r.status === 200)];
  for (const at of c.cluster.live()) {
    const running = (await at.call('GET', `${base}?filter=status:running`, { token: c.admin })).body.items.map((e: { key: string }) => e.key);
    expect(running, at.name).toEqual([winner]);
    const env = (await at.call('GET', `/api/v2/flags/${project}/button`, { token: c.admin })).body.environments.production;
    expect(env.fallthrough.rollout.experimentAllocation, at.name).toBeDefined();
  }

  // stop through one instance; every other serves the shipped winner on its next request
  const { via } = await c.write('PATCH', `${base}/${winner}`, { instructions: [{ kind: 'stopIteration', winningTreatmentId: variations[1] }] }, 200);
  for (const at of c.cluster.live().filter((x) => x !== via)) {
    expect((await at.call('GET', `/api/v2/flags/${project}/button`, { token: c.admin })).body.environments.production.fallthrough, at.name).toEqual({ variation: 1 });
  }
  c.ledger.add(`experiment ${project}/${winner} stopped with a winner`, async (at) =>
    expect((await at.call('GET', `${base}/${winner}`, { token: c.admin })).body.currentIteration).toMatchObject({ status: 'stopped', winningTreatmentId: variations[1] }),
  );
};

const STORIES: Record<string, Story> = {
  'projects and environments, each read back through another instance': projectsAndEnvironments,
  'experimentation settings and context kinds, each read back through another instance': settingsAndContextKinds,
  'tokens: usable everywhere at once; revoked through one, refused by the others on the next request': accessTokens,
  'one rate-limit budget for a token across the instances (Redis)': oneRateLimitBudget,
  'the same create raced through every instance: exactly one wins, the others get 409': racingCreates,
  'experiments: concurrent drafts, three starts on one rule through three instances (one runs), stop seen everywhere': experimentStory,
};

/** Writes that run concurrently while an instance is killed; each returns what to check if it was acknowledged. */
const CHURN: ((c: Ctx, i: number) => { method: string; path: string; body: unknown; check: (at: Instance) => Promise<void> })[] = [
  (c, i) => {
    const key = c.unique(`churn${i}`);
    return {
      method: 'POST',
      path: '/api/v2/projects',
      body: { key, name: `Churn ${i}` },
      check: async (at) => expect((await at.call('GET', `/api/v2/projects/${key}`, { token: c.admin })).status).toBe(200),
    };
  },
];

describe.skipIf(testDb !== 'postgres' || !redisUp)('three instances on one PostgreSQL and one Redis', () => {
  const admin = `api-${crypto.randomUUID()}`;
  let database: FreshDatabase;
  let ctx: Ctx;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    const cluster = await Cluster.start(3, {
      DATABASE_URL: database.url,
      ITERLAB_ADMIN_TOKEN: admin,
      REDIS_URL: REDIS_URL_FOR_TESTS,
      REDIS_KEY_PREFIX: uniquePrefix('multi'),
    });
    let n = 0;
    ctx = {
      cluster,
      admin,
      ledger: new Ledger(),
      unique: (prefix) => `${prefix}-${++n}-${crypto.randomBytes(3).toString('hex')}`,
      write: async (method, path, body, status, options = {}) => {
        const via = cluster.next();
        const res = await via.call(method, path, { token: admin, body, ...options });
        expect(res.status, `${method} ${path} through ${via.name}: ${JSON.stringify(res.body)}`).toBe(status);
        return { via, res };
      },
      readBack: (via, path, options = {}) => cluster.other(via).call('GET', path, { token: admin, ...options }),
    };
  }, 120_000);

  afterAll(async () => {
    await ctx?.cluster.close();
    await database?.drop();
  });

  it('all three are up and ready on one migrated schema, and each comes to hear the others', async () => {
    for (const at of ctx.cluster.live()) {
      expect((await at.call('GET', '/readyz')).status, at.name).toBe(200);
      // An instance serves before it listens (its caches are bypassed until every other instance has acknowledged its
      // hello), so under load it may still be on its way: it must get there, within a bound.
      const listening = async () => /^iterlab_change_bus_listening 1$/m.test(String((await at.call('GET', '/metrics')).body));
      const deadline = Date.now() + 15_000;
      while (!(await listening()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await listening(), `${at.name} listening`).toBe(true);
    }
  });

  for (const [name, story] of Object.entries(STORIES)) it(name, () => story(ctx), 60_000);

  it('SIGKILL of one instance mid-run: the other two keep serving, and every acknowledged write is there', async () => {
    const victim = ctx.cluster.instances[2];
    let acknowledged = 0;
    let afterKill = 0;
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; i < 12; i++) {
        const write = CHURN[i % CHURN.length](ctx, w * 100 + i);
        const via = ctx.cluster.next();
        let res: HttpResponse;
        try {
          res = await via.call(write.method, write.path, { token: admin, body: write.body });
        } catch (err) {
          // only the killed instance may fail to answer; what it had not acknowledged is not owed
          if (via !== victim || !killed) throw err;
          continue;
        }
        expect(res.status, `${write.method} ${write.path} through ${via.name}`).toBeLessThan(300);
        ctx.ledger.add(`${write.method} ${write.path} ${JSON.stringify(write.body)}`, write.check);
        acknowledged += 1;
        if (killed) afterKill += 1;
        if (acknowledged === 10 && !killed) {
          killed = true;
          victim.kill('SIGKILL');
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const survivors = ctx.cluster.live();
    expect(survivors.map((s) => s.name)).toEqual(['instance-1', 'instance-2']);
    expect(afterKill).toBeGreaterThan(10);
    for (const at of survivors) {
      expect((await at.call('GET', '/readyz')).status).toBe(200);
      await ctx.ledger.verifyThrough(at);
    }
    // and the survivors still keep each other's caches right
    await accessTokens(ctx);
  }, 120_000);
});
