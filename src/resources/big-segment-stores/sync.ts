// The sync: iterlab keeps each environment's big segment membership in the Redis of its `on` redis integration, in
// the layout the SDKs' Redis big segment stores read (@launchdarkly/node-server-sdk-redis and its peers):
//   {prefix}:big_segment_include:{hash}  and  {prefix}:big_segment_exclude:{hash}   sets of `{segmentKey}.g{generation}`
//   {prefix}:big_segments_synchronized_on                                          the last sync, in ms
// where {hash} is the SDKs' hash of a context key (base64 SHA-256). An environment is synced whole after every change
// to its segments or targets (heard on the change bus) and when an integration is created or changed; a periodic
// pass refreshes `synchronized_on`, which SDKs take for staleness. Outcomes go into the integration's status and the
// log; a failed sync never fails the REST write that caused it.
import crypto from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { createClient } from 'redis';
import type { ChangeNotice, Deps } from '../../http/context.js';
import { startJob } from '../../http/jobs.js';
import type { SegmentDoc } from '../segments/model.js';
import { storeDoc, storeStatus, syncedSinceLastError, type StoreIntegrationRow, type StoreSyncStatus } from './model.js';

const KEY_SYNCHRONIZED_ON = 'big_segments_synchronized_on';
const KEY_INCLUDE = 'big_segment_include';
const KEY_EXCLUDE = 'big_segment_exclude';
/** Well inside the SDKs' default staleAfter (120 s), so a quiet environment's store never reads as stale. */
const HEARTBEAT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** The failures a status keeps. */
const KEPT_ERRORS = 10;
const DYNAMODB_UNSUPPORTED = 'iterlab does not sync DynamoDB stores (it does not reach AWS); this integration is stored only';

/** The SDKs' hash of a context key, under which its membership is stored. */
export function contextKeyHash(contextKey: string): string {
  return crypto.createHash('sha256').update(contextKey).digest('base64');
}

/** Each context key's include and exclude refs across the environment's big segments. */
async function environmentMembership(deps: Deps, environmentId: string): Promise<Map<string, { include: string[]; exclude: string[] }>> {
  const segments = await deps.store.db.selectFrom('segments').select(['id', 'key', 'doc']).where('environment_id', '=', environmentId).execute();
  const refs = new Map<string, string>();
  for (const segment of segments) {
    const doc = JSON.parse(segment.doc) as SegmentDoc;
    if (doc.unbounded) refs.set(segment.id, `${segment.key}.g${doc.generation ?? 1}`);
  }
  const membership = new Map<string, { include: string[]; exclude: string[] }>();
  if (refs.size === 0) return membership;
  const targets = await deps.store.db.selectFrom('big_segment_targets').selectAll().where('segment_id', 'in', [...refs.keys()]).execute();
  for (const target of targets) {
    let entry = membership.get(target.context_key);
    if (!entry) membership.set(target.context_key, (entry = { include: [], exclude: [] }));
    (target.side === 'included' ? entry.include : entry.exclude).push(refs.get(target.segment_id)!);
  }
  return membership;
}

type RedisConfig = { host: string; port: string; username: string; password: string; tls: boolean; prefix: string };

async function withRedis<T>(config: RedisConfig, use: (client: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  // Imported on first use: only environments with a Redis store integration need the client (~4 MB of heap).
  const { createClient } = await import('redis');
  const client = createClient({
    username: config.username || undefined,
    password: config.password || undefined,
    socket: config.tls
      ? { host: config.host, port: Number(config.port), tls: true, connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false }
      : { host: config.host, port: Number(config.port), connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
  });
  // A failure surfaces from the command that meets it; the client's own event would otherwise crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.quit().catch(() => client.disconnect());
  }
}

/** Replaces the store's membership with the environment's, and stamps the sync, in one MULTI. */
async function writeMembership(config: RedisConfig, membership: Map<string, { include: string[]; exclude: string[] }>, now: number): Promise<void> {
  await withRedis(config, async (client) => {
    const stale: string[] = [];
    for (const kind of [KEY_INCLUDE, KEY_EXCLUDE]) {
      for await (const keys of client.scanIterator({ MATCH: `${config.prefix}:${kind}:*`, COUNT: 1000 })) stale.push(...(Array.isArray(keys) ? keys : [keys]));
    }
    const multi = client.multi();
    if (stale.length > 0) multi.del(stale);
    for (const [contextKey, { include, exclude }] of membership) {
      const hash = contextKeyHash(contextKey);
      if (include.length > 0) multi.sAdd(`${config.prefix}:${KEY_INCLUDE}:${hash}`, include);
      if (exclude.length > 0) multi.sAdd(`${config.prefix}:${KEY_EXCLUDE}:${hash}`, exclude);
    }
    multi.set(`${config.prefix}:${KEY_SYNCHRONIZED_ON}`, String(now));
    await multi.exec();
  });
}

async function touch(config: RedisConfig, now: number): Promise<void> {
  await withRedis(config, (client) => client.set(`${config.prefix}:${KEY_SYNCHRONIZED_ON}`, String(now)));
}

/** Syncs environments on request, one pass at a time each; a request during a pass makes one more pass after it. */
export class BigSegmentSync {
  private readonly passes = new Map<string, { again: boolean; done: Promise<void> }>();
  private closed = false;

  constructor(
    private readonly deps: Deps,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Syncs the environment's `on` integrations; resolves once its stores hold what the database held at some point since the call. */
  request(environmentId: string): Promise<void> {
    const running = this.passes.get(environmentId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const pass = { again: false, done: Promise.resolve() };
    this.passes.set(environmentId, pass);
    pass.done = (async () => {
      try {
        do {
          pass.again = false;
          await this.syncEnvironment(environmentId, false).catch((err: unknown) => this.log.warn({ err, environmentId }, 'big segment store sync failed'));
        } while (pass.again && !this.closed);
      } finally {
        this.passes.delete(environmentId);
      }
    })();
    return pass.done;
  }

  /** Every environment with an `on` integration: a full sync where the last one failed, else a fresh `synchronized_on`. */
  async heartbeat(): Promise<void> {
    const rows = await this.deps.store.db.selectFrom('big_segment_stores').select('environment_id').distinct().execute();
    for (const { environment_id } of rows) {
      if (this.closed) return;
      if (!this.passes.has(environment_id)) await this.syncEnvironment(environment_id, true).catch((err: unknown) => this.log.warn({ err }, 'big segment store heartbeat failed'));
    }
  }

  /** The environments a change may touch: the segment's, or (a deleted segment, an unknown change) every one with an integration. */
  async heard(notice: ChangeNotice | null): Promise<void> {
    if (notice && notice.kind !== 'segment') return;
    const segment = notice?.id ? await this.deps.store.db.selectFrom('segments').select('environment_id').where('id', '=', notice.id).executeTakeFirst() : undefined;
    let query = this.deps.store.db.selectFrom('big_segment_stores').innerJoin('environments', 'environments.id', 'big_segment_stores.environment_id').select('big_segment_stores.environment_id').distinct();
    if (segment) query = query.where('big_segment_stores.environment_id', '=', segment.environment_id);
    else if (notice?.projectId) query = query.where('environments.project_id', '=', notice.projectId);
    for (const { environment_id } of await query.execute()) void this.request(environment_id);
  }

  close(): Promise<unknown> {
    this.closed = true;
    return Promise.all([...this.passes.values()].map((pass) => pass.done));
  }

  private async syncEnvironment(environmentId: string, heartbeat: boolean): Promise<void> {
    const rows = await this.deps.store.db.selectFrom('big_segment_stores').selectAll().where('environment_id', '=', environmentId).orderBy('created_at').execute();
    const active = rows.filter((row) => storeDoc(row).on);
    if (active.length === 0) return;
    let membership: Awaited<ReturnType<typeof environmentMembership>> | undefined;
    for (const row of active) {
      // DynamoDB's refusal is recorded once, not again on every heartbeat.
      if (heartbeat && row.integration_key !== 'redis') continue;
      const now = this.deps.now();
      try {
        if (row.integration_key !== 'redis') throw new Error(DYNAMODB_UNSUPPORTED);
        const config = storeDoc(row).config as RedisConfig;
        if (heartbeat && syncedSinceLastError(storeStatus(row))) await touch(config, now);
        else await writeMembership(config, (membership ??= await environmentMembership(this.deps, environmentId)), now);
        await this.record(row, (status) => ({ ...status, lastSync: now }));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.log.warn({ err, integrationId: row.id, environmentId }, 'could not sync big segments into the store');
        await this.record(row, (status) => ({ ...status, lastError: now, errors: [{ message, timestamp: now }, ...status.errors].slice(0, KEPT_ERRORS) }));
      }
    }
  }

  /** Writes the integration's status (not its version: a sync is no change to the integration). */
  private async record(row: StoreIntegrationRow, next: (status: StoreSyncStatus) => StoreSyncStatus): Promise<void> {
    const current = await this.deps.store.db.selectFrom('big_segment_stores').select('status').where('id', '=', row.id).executeTakeFirst();
    if (!current) return;
    await this.deps.store.db.updateTable('big_segment_stores').set({ status: JSON.stringify(next(storeStatus(current))) }).where('id', '=', row.id).execute();
  }
}

const syncs = new WeakMap<Deps, BigSegmentSync>();

/** Starts the sync for this app: it hears every change, and refreshes stores on a timer. */
export function startBigSegmentSync(app: FastifyInstance, deps: Deps): void {
  const sync = new BigSegmentSync(deps, app.log);
  syncs.set(deps, sync);
  const unsubscribe = deps.bus.subscribe((notice) => {
    sync.heard(notice).catch((err: unknown) => app.log.warn({ err }, 'could not find the big segment stores a change touches'));
  });
  startJob(app, HEARTBEAT_MS, () => sync.heartbeat(), 'big segment store heartbeat failed');
  app.addHook('preClose', async () => {
    unsubscribe();
    await sync.close();
  });
}

/** Syncs the environment now (after an integration is created or changed); resolves when done, never rejects. */
export function syncEnvironment(deps: Deps, environmentId: string): Promise<void> {
  return syncs.get(deps)?.request(environmentId) ?? Promise.resolve();
}
