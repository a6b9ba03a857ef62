// Crash recovery: the real server under concurrent write load, SIGKILLed mid-load and restarted on the same store.
// Every acknowledged write must survive, nothing may be half-written, and the store must stay sound.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { Store } from '../src/store/db.js';
import { conformance } from './support/conformance.js';
import { freshDatabase, testDb, type FreshDatabase } from './support/db.js';
import { iterlabArgs } from './support/built.js';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type ApiClient } from './support/fixtures.js';
import { startServer as startTestServer, type RequestOptions, type Response } from './support/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_TOKEN = 'api-crash-test-admin-token';
const KILLS = 3;
/** Writes each round has acknowledged before its kill may come. */
const ROUND_WRITES = 11;

/** Resolves once `done()` holds (checked every 10 ms), or after `ms` regardless: the assertions then say what was missing. */
async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}
/** A small shared set, so concurrent writers race on the same context kinds and randomization units. */
const KINDS = ['device', 'org', 'account', 'session'];

interface Server {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: string[];
}

function startServer(databaseUrl: string): Promise<Server> {
  const child = spawn(process.execPath, iterlabArgs('serve'), {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      ITERLAB_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_GLOBAL_PER_10S: '0',
      RATE_LIMIT_ROUTE_PER_10S: '0',
    },
  });
  const stdout: string[] = [];
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 30 s: ${stderr}`)), 30_000);
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => {
      stdout.push(String(d));
      const url = /iterlab is listening on (http:\/\/\S+)/.exec(stdout.join(''))?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, stdout });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening: ${stderr}`));
    });
  });
}

function kill(server: Server, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve(server.child.exitCode);
    server.child.removeAllListeners('exit');
    server.child.once('exit', (code) => resolve(code));
    server.child.kill(signal);
  });
}

/** What the clients were told succeeded: each must be found after every crash. */
interface Acked {
  projects: Map<string, Set<string>>;
  contextKinds: Map<string, Set<string>>;
  settings: Map<string, string[]>;
  tokens: Map<string, { value: string; role: string }>;
  /** `_links.self` of resources created from spec examples (flags, metrics... as slices add them). */
  created: string[];
  /** The ids create iteration answered, in order of their answers. */
  iterations: string[];
  writes: number;
}

/** One experiment whose draft the load replaces again and again (create iteration: SQLite's writer thread). */
interface IterationTarget {
  path: string;
  body: Record<string, unknown>;
  /** Every id answered, and every write sent that was not answered, may have left the draft. */
  sent: number;
}

/** The fixtures' client for a server running as a child process, as the admin. */
function childClient(url: string): ApiClient {
  const request = async (method: string, p: string, body: unknown, options: RequestOptions = {}): Promise<Response> => {
    const res = await fetch(url + p, {
      method,
      headers: { authorization: ADMIN_TOKEN, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: Object.fromEntries(res.headers) };
  };
  return {
    get: (p, options) => request('GET', p, undefined, options),
    post: (p, body, options) => request('POST', p, body, options),
    patch: (p, body, options) => request('PATCH', p, body, options),
  };
}

/** A project with a flag, metrics and an experiment, through the API, for the load's create iteration calls. */
async function iterationTarget(url: string): Promise<IterationTarget> {
  const client = childClient(url);
  const world = await createWorld(client, 'crash-iterations');
  await createExperimentIn(client, world, 'crash-exp');
  const body = iterationBody({ ...world, version: await flagVersion(client, world.project, world.flag) });
  return { path: `${experimentsPath(world, 'crash-exp')}/iterations`, body, sent: 0 };
}

/** A project-scoped create route and the spec's example body for it. */
interface ExampleCreate {
  url: string;
  example: Record<string, unknown>;
}

/**
 * Every POST route under a project whose spec example has a `key`: the load creates through each with a
 * fresh key, so the slices other engineers add are crashed too, without changes here.
 */
async function exampleCreates(): Promise<ExampleCreate[]> {
  const { app, routes } = await buildApp(loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' }), { logger: false });
  await app.close();
  const out: ExampleCreate[] = [];
  for (const route of routes) {
    if (route.method !== 'POST' || route.config.beta || !/^[^:]*:projectKey[^:]*$/.test(route.url)) continue;
    const example = conformance().operation('POST', route.url)?.requestBody?.content?.['application/json']?.example as Record<string, unknown> | undefined;
    if (example && typeof example.key === 'string') out.push({ url: route.url, example });
  }
  return out;
}

/** Every value ever sent to a context kind or settings, acknowledged or not: what may be found stored. */
interface Sent {
  kindNames: Map<string, Set<string>>;
  settings: Map<string, Set<string>>;
}

class Load {
  readonly acked: Acked = { projects: new Map(), contextKinds: new Map(), settings: new Map(), tokens: new Map(), created: [], iterations: [], writes: 0 };
  readonly sent: Sent = { kindNames: new Map(), settings: new Map() };
  readonly serverErrors: string[] = [];
  private seq = 0;

  constructor(
    private readonly workers: number,
    private readonly creates: ExampleCreate[],
    readonly iterations: IterationTarget,
  ) {}

  /** Runs the workers against `url` until `stop` resolves (the server is killed under them). */
  async run(url: string, stop: Promise<void>): Promise<void> {
    let stopped = false;
    void stop.then(() => (stopped = true));
    await Promise.all(
      Array.from({ length: this.workers }, async (_, w) => {
        while (!stopped) {
          try {
            await this.step(url, w);
          } catch {
            // the connection died with the server: that write is unacknowledged
          }
        }
      }),
    );
  }

  private async call(url: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(url + p, {
      method,
      headers: { authorization: ADMIN_TOKEN, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status >= 500) this.serverErrors.push(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  private randomProject(): string | undefined {
    const keys = [...this.acked.projects.keys()];
    return keys[Math.floor(Math.random() * keys.length)];
  }

  private async step(url: string, worker: number): Promise<void> {
    const n = `${worker}-${++this.seq}`;
    const project = this.randomProject();
    const pick = project ? Math.floor(Math.random() * (this.creates.length > 0 ? 7 : 6)) : 0;
    if (pick === 6 || (pick === 5 && this.creates.length === 0)) {
      // Several workers at once on one experiment: their calls are written together (one batch per write).
      this.iterations.sent += 1;
      const res = await this.call(url, 'POST', this.iterations.path, this.iterations.body);
      if (res.status === 200) {
        this.acked.iterations.push(res.body._id);
        this.acked.writes += 1;
      }
    } else if (pick === 0) {
      const environments = Array.from({ length: Math.floor(Math.random() * 3) }, (_, i) => ({ key: `env${i}`, name: `Env ${i}`, color: '00AA00' }));
      const res = await this.call(url, 'POST', '/api/v2/projects', { key: `p-${n}`, name: `Project ${n}`, ...(environments.length ? { environments } : {}) });
      if (res.status === 201) {
        this.acked.projects.set(`p-${n}`, new Set(res.body.environments.map((e: { key: string }) => e.key)));
        this.acked.writes += 1;
      }
    } else if (pick === 1) {
      const res = await this.call(url, 'POST', `/api/v2/projects/${project}/environments`, { key: `e-${n}`, name: `Env ${n}`, color: 'AA0000' });
      if (res.status === 201) {
        this.acked.projects.get(project!)!.add(`e-${n}`);
        this.acked.writes += 1;
      }
    } else if (pick === 2) {
      const kind = KINDS[Math.floor(Math.random() * KINDS.length)];
      const id = `${project}/${kind}`;
      const name = `Kind ${n}`;
      if (!this.sent.kindNames.has(id)) this.sent.kindNames.set(id, new Set());
      this.sent.kindNames.get(id)!.add(name);
      const res = await this.call(url, 'PUT', `/api/v2/projects/${project}/context-kinds/${kind}`, { name });
      if (res.status === 200) {
        if (!this.acked.contextKinds.has(project!)) this.acked.contextKinds.set(project!, new Set());
        this.acked.contextKinds.get(project!)!.add(kind);
        this.acked.writes += 1;
      }
    } else if (pick === 3) {
      const units = KINDS.filter(() => Math.random() < 0.5).concat('user');
      const key = units.slice().sort().join(',');
      if (!this.sent.settings.has(project!)) this.sent.settings.set(project!, new Set());
      this.sent.settings.get(project!)!.add(key);
      const res = await this.call(url, 'PUT', `/api/v2/projects/${project}/experimentation-settings`, {
        randomizationUnits: units.map((u, i) => ({ randomizationUnit: u, default: i === 0 })),
      });
      if (res.status === 200) {
        this.acked.settings.set(project!, units);
        this.acked.writes += 1;
      }
    } else if (pick === 5) {
      const create = this.creates[Math.floor(Math.random() * this.creates.length)];
      const res = await this.call(url, 'POST', create.url.replace(':projectKey', project!), { ...create.example, key: `x-${n}` });
      if (res.status === 201 || res.status === 200) {
        this.acked.created.push(res.body._links.self.href);
        this.acked.writes += 1;
      }
    } else {
      const role = ['reader', 'writer', 'admin'][Math.floor(Math.random() * 3)];
      const res = await this.call(url, 'POST', '/api/v2/tokens', { name: `token ${n}`, role });
      if (res.status === 201) {
        this.acked.tokens.set(res.body._id, { value: res.body.token, role });
        this.acked.writes += 1;
      }
    }
  }
}

/** Checks through the API that every acknowledged write is there; returns how many were verified. */
async function verifyAcknowledged(url: string, load: Load): Promise<number> {
  const get = async (p: string, token = ADMIN_TOKEN) => {
    const res = await fetch(url + p, { headers: { authorization: token } });
    return { status: res.status, body: (await res.json()) as any };
  };
  let verified = 0;
  const problems: string[] = [];
  for (const [key, envs] of load.acked.projects) {
    const project = await get(`/api/v2/projects/${key}?expand=environments`);
    if (project.status !== 200) {
      problems.push(`project ${key}: ${project.status}`);
      continue;
    }
    verified += 1;
    const found = new Set(project.body.environments.items.map((e: { key: string }) => e.key));
    for (const env of envs) {
      if (!found.has(env)) problems.push(`environment ${key}/${env} is missing`);
    }
    verified += envs.size;
    const kinds = await get(`/api/v2/projects/${key}/context-kinds`);
    const stored = new Map<string, string>(kinds.body.items.map((k: { key: string; name: string }) => [k.key, k.name]));
    for (const kind of load.acked.contextKinds.get(key) ?? []) {
      const name = stored.get(kind);
      if (name === undefined) problems.push(`context kind ${key}/${kind} is missing`);
      // Unless the settings created it first, its name is one of those sent to it.
      else if (name !== kind.charAt(0).toUpperCase() + kind.slice(1) && !load.sent.kindNames.get(`${key}/${kind}`)?.has(name)) problems.push(`context kind ${key}/${kind} has name ${name}, never sent`);
      else verified += 1;
    }
    const settings = await get(`/api/v2/projects/${key}/experimentation-settings`);
    const units: { randomizationUnit: string; default: boolean }[] = settings.body.randomizationUnits;
    if (units.filter((u) => u.default).length !== 1) problems.push(`settings of ${key} have ${units.filter((u) => u.default).length} defaults`);
    const storedUnits = units.map((u) => u.randomizationUnit).sort().join(',');
    if (load.acked.settings.has(key)) {
      if (!load.sent.settings.get(key)!.has(storedUnits)) problems.push(`settings of ${key} are ${storedUnits}, never sent`);
      else verified += 1;
    }
    for (const unit of units) if (!stored.has(unit.randomizationUnit)) problems.push(`randomization unit ${key}/${unit.randomizationUnit} has no context kind`);
  }
  for (const href of load.acked.created) {
    const res = await get(href);
    if (res.status !== 200) problems.push(`${href}: ${res.status}`);
    else verified += 1;
  }
  for (const [id, token] of load.acked.tokens) {
    const rep = await get(`/api/v2/tokens/${id}`);
    if (rep.status !== 200 || rep.body.role !== token.role) problems.push(`token ${id}: ${rep.status} ${rep.body.role}`);
    else if ((await get('/api/v2/projects?limit=1', token.value)).status !== 200) problems.push(`token ${id} no longer authenticates`);
    else verified += 1;
  }
  expect(problems).toEqual([]);
  return verified;
}

/**
 * With the server down: every answered create iteration left its audit entry (with its iteration's id), the
 * experiment has exactly one draft, with its references, and it is one of the calls' (answered or not).
 */
async function verifyIterations(databaseUrl: string, load: Load): Promise<void> {
  const store = Store.open(databaseUrl);
  try {
    const rows = async <R>(query: ReturnType<typeof sql<R>>) => (await query.execute(store.db)).rows;
    const audited = await rows<{ doc: string }>(sql`select doc from audit_log where resource like '%:experiment/crash-exp' and doc like '%"createIteration"%'`);
    const auditedIds = new Set(audited.map((row) => (JSON.parse(row.doc) as { after: { _id: string } }).after._id));
    expect(load.acked.iterations.filter((id) => !auditedIds.has(id))).toEqual([]);
    // Each call sent may have been written (answered or not); nothing else was.
    expect(auditedIds.size).toBeLessThanOrEqual(load.iterations.sent);
    const drafts = await rows<{ id: string }>(
      sql`select i.id from iterations i join experiments e on e.id = i.experiment_id where e.key = 'crash-exp' and i.status = 'not_started'`,
    );
    expect(drafts).toHaveLength(1);
    // Once any call was written, the draft is the last written call's.
    if (auditedIds.size > 0) expect(auditedIds.has(drafts[0].id)).toBe(true);
    expect(await rows(sql`select kind, key from experiment_refs where iteration_id = ${drafts[0].id} order by kind, key`)).toEqual([
      { kind: 'flag', key: 'checkout-button' },
      { kind: 'metric', key: 'checkout-completed' },
      { kind: 'metric', key: 'revenue' },
    ]);
  } finally {
    await store.close();
  }
}

/** Checks the store itself with the server down: integrity, and that no write was applied in part. */
async function verifyStore(databaseUrl: string): Promise<void> {
  const store = Store.open(databaseUrl);
  try {
    const db = store.db;
    if (store.kind === 'sqlite') {
      expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows).toEqual([{ integrity_check: 'ok' }]);
      expect((await sql`pragma foreign_key_check`.execute(db)).rows).toEqual([]);
    }
    const rows = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows;
    // A project is written with its settings, its `user` context kind, its environments and its audit entry, or not at all.
    expect(await rows(sql`select p.key from projects p where not exists (select 1 from experimentation_settings s where s.project_id = p.id)`)).toEqual([]);
    expect(await rows(sql`select p.key from projects p where not exists (select 1 from environments e where e.project_id = p.id)`)).toEqual([]);
    expect(await rows(sql`select p.key from projects p where not exists (select 1 from context_kinds k where k.project_id = p.id and k.key = 'user')`)).toEqual([]);
    expect(await rows(sql`select p.key from projects p where not exists (select 1 from audit_log a where a.resource = 'proj/' || p.key and a.doc like '%"createProject"%')`)).toEqual([]);
    // Every environment has targeting for every flag of its project.
    expect(
      await rows(sql`select f.key, e.key from flags f join environments e on e.project_id = f.project_id
                     where not exists (select 1 from flag_configs c where c.flag_id = f.id and c.environment_id = e.id)`),
    ).toEqual([]);
    // An audit entry exists only for a write that committed (the entry and the write share a transaction).
    expect(await rows(sql`select a.resource from audit_log a where a.doc like '%"createProject"%' and not exists (select 1 from projects p where a.resource = 'proj/' || p.key)`)).toEqual([]);
    expect(
      await rows(sql`select a.resource from audit_log a where a.doc like '%"createEnvironment"%' and not exists
                     (select 1 from environments e join projects p on p.id = e.project_id where a.resource = 'proj/' || p.key || ':env/' || e.key)`),
    ).toEqual([]);
    expect(await rows(sql`select a.resource from audit_log a where a.doc like '%"createAccessToken"%' and not exists (select 1 from tokens t where a.resource like '%token/' || t.id)`)).toEqual([]);
    // Every token minted through the API has its audit entry.
    expect(await rows(sql`select t.id from tokens t where t.doc not like '%ITERLAB_ADMIN_TOKEN%' and not exists (select 1 from audit_log a where a.resource like '%token/' || t.id)`)).toEqual([]);
  } finally {
    await store.close();
  }
}

describe(`crash recovery (${testDb})`, () => {
  let database: FreshDatabase;
  let dir: string | undefined;
  let databaseUrl: string;

  beforeAll(async () => {
    if (testDb === 'sqlite') {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-crash-'));
      databaseUrl = `sqlite:${path.join(dir, 'iterlab.db')}`;
    } else {
      database = await freshDatabase('postgres');
      databaseUrl = database.url;
    }
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write through ${KILLS} SIGKILLs under concurrent load`, async () => {
    const creates = await exampleCreates();
    let kills = 0;
    let server = await startServer(databaseUrl);
    const load = new Load(8, creates, await iterationTarget(server.url));
    for (let round = 0; round < KILLS; round++) {
      // Kill at a random moment while writes are in flight, once the round has had writes acknowledged (on a busy
      // machine a fixed delay could end a round before any landed, and the test would prove little).
      const enough = load.acked.writes + ROUND_WRITES;
      const killed = waitFor(() => load.acked.writes >= enough, 60_000)
        .then(() => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 600)))
        .then(async () => {
          expect(await kill(server, 'SIGKILL')).toBe(null);
          kills += 1;
        });
      await Promise.all([load.run(server.url, killed), killed]);
      await verifyStore(databaseUrl);
      await verifyIterations(databaseUrl, load);
      server = await startServer(databaseUrl);
      await verifyAcknowledged(server.url, load);
    }
    expect(load.serverErrors).toEqual([]);
    const verified = await verifyAcknowledged(server.url, load);
    // A clean start logs nothing at error level or above, and a SIGTERM shuts down gracefully.
    const errors = server.stdout.join('').split('\n').filter((line) => /^\{.*"level":(5\d|60)/.test(line));
    expect(errors).toEqual([]);
    expect(await kill(server, 'SIGTERM')).toBe(0);
    await verifyStore(databaseUrl);
    console.log(
      `crash (${testDb}): ${kills} SIGKILLs survived; ${load.acked.writes} acknowledged writes (${load.acked.iterations.length} create iteration), ${verified} stored facts verified after the last restart` +
        ` (spec-example creates through ${creates.map((c) => c.url).join(', ') || 'no route'})`,
    );
    expect(kills).toBe(KILLS);
    expect(load.acked.writes).toBeGreaterThanOrEqual(KILLS * ROUND_WRITES);
  }, 120_000);
});

describe(`concurrent writers racing to create the same rows (${testDb})`, () => {
  it('same new context kind, settings naming new units, and environments: no 5xx, one row each', async () => {
    const s = await startTestServer();
    try {
      expect((await s.post('/api/v2/projects', { key: 'race', name: 'Race' })).status).toBe(201);
      const answers = await Promise.all([
        ...Array.from({ length: 12 }, (_, i) => s.put('/api/v2/projects/race/context-kinds/device', { name: `Device ${i}` })),
        ...Array.from({ length: 12 }, (_, i) =>
          s.put('/api/v2/projects/race/experimentation-settings', { randomizationUnits: [{ randomizationUnit: i % 2 ? 'device' : 'org', default: true }, { randomizationUnit: 'user' }] }),
        ),
        ...Array.from({ length: 12 }, (_, i) => s.post('/api/v2/projects/race/environments', { key: `env-${i}`, name: `Env ${i}`, color: '000000' })),
      ]);
      expect(answers.map((a) => a.status).filter((status) => status >= 300)).toEqual([]);
      const kinds = (await s.get('/api/v2/projects/race/context-kinds')).body.items.map((k: { key: string }) => k.key).sort();
      expect(kinds).toEqual(['device', 'org', 'user']);
      const device = (await s.get('/api/v2/projects/race/context-kinds')).body.items.find((k: { key: string }) => k.key === 'device');
      // Twelve PUTs, serialized: the kind was created once and updated eleven times (settings may have created it first).
      expect(device.version).toBeGreaterThanOrEqual(12);
      const envs = await s.get('/api/v2/projects/race/environments');
      expect(envs.body.totalCount).toBe(14);
      const positions = await s.store.db.selectFrom('environments').select('position').where('key', 'like', 'env-%').execute();
      expect(new Set(positions.map((p) => p.position)).size).toBe(12);
    } finally {
      await s.close();
    }
  });
});
