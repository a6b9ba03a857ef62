// The Relay Proxy's automatic configuration streams (/relay_auto_config): each connection holds one configuration's
// key and is sent a `put` of every environment the configuration's policy chooses (with its SDK key, mobile key and
// client-side ID), then a `patch` for each environment added or changed and a `delete` for each taken away, as
// ld-relay's autoconfig package reads them.
import type { ServerResponse } from 'node:http';
import type { ChangeNotice } from '../http/context.js';
import type { ChangeBus } from '../store/changes.js';
import type { Db } from '../store/db.js';
import { decide, singleRole, type Policy, type ResourcePath } from '../resources/custom-roles/policy.js';
import { keyOpens, relayDoc, type RelayAutoConfigRow } from '../resources/relay-proxy-configs/model.js';
import type { EnvironmentDoc } from '../resources/environments/environments.js';
import { MAX_UNSENT_BYTES, SerialQueue, StreamHub } from './sse.js';
import type { StreamsLog } from './streams.js';

/**
 * The action a policy's statements are asked about for each environment. LaunchDarkly's examples all allow `*`; a
 * statement naming only other actions chooses nothing (docs/compatibility.md).
 */
export const RELAY_ACTION = 'relayAutoConfiguration';

/** One environment as ld-relay's EnvironmentRep has it, without its version. */
export interface RelayEnvironment {
  envID: string;
  envKey: string;
  envName: string;
  mobKey: string;
  projKey: string;
  projName: string;
  sdkKey: { value: string; expiring?: { value: string; timestamp: number } };
  defaultTtl: number;
  secureMode: boolean;
}

interface Connection {
  /** The key it was opened with: a reset may leave it working until an expiry, or stop it at once. */
  key: string;
}

/** One configuration's connections, and what they were last sent: each environment's text, without its version. */
class RelayFeed extends SerialQueue {
  readonly connections = new Map<ServerResponse, Connection>();
  sent: Map<string, string> | undefined;
  /** Connections waiting for their put: the feed is kept for them even while none is open yet. */
  joining = 0;

  constructor(public row: RelayAutoConfigRow) {
    super();
  }

  send(text: string): void {
    for (const response of this.connections.keys()) {
      response.write(text);
      // A Relay Proxy that does not read is cut, not buffered without end: it reconnects and gets a put.
      if (response.writableLength > MAX_UNSENT_BYTES) response.destroy();
    }
  }

  /** Ends the connections whose key no longer opens the configuration (reset without expiry, or expired). */
  endRefused(row: RelayAutoConfigRow | undefined, now: number): void {
    for (const [response, connection] of this.connections) {
      if (!row || !keyOpens(row, connection.key, now)) {
        this.connections.delete(response);
        response.end();
      }
    }
  }
}

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/** Every environment the policy chooses, by id, in the order projects and environments were made. */
export async function relayEnvironments(db: Db, policy: Policy, now: number): Promise<Map<string, RelayEnvironment>> {
  const [projects, environments, retired] = await Promise.all([
    db.selectFrom('projects').select(['id', 'key', 'name', 'doc']).orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('environments').select(['id', 'project_id', 'key', 'name', 'doc', 'sdk_key', 'mobile_key']).orderBy('position').orderBy('created_at').execute(),
    db.selectFrom('retired_sdk_keys').selectAll().where('expires_at', '>', now).orderBy('expires_at', 'desc').execute(),
  ]);
  const out = new Map<string, RelayEnvironment>();
  for (const project of projects) {
    const projectTags = (JSON.parse(project.doc) as { tags?: string[] }).tags ?? [];
    for (const env of environments.filter((e) => e.project_id === project.id)) {
      const doc = JSON.parse(env.doc) as EnvironmentDoc;
      const resource: ResourcePath = [
        { type: 'proj', key: project.key, tags: projectTags },
        { type: 'env', key: env.key, tags: doc.tags ?? [], attributes: { critical: doc.critical ?? false } },
      ];
      if (decide(policy, { resource, action: RELAY_ACTION }) !== 'allow') continue;
      // The latest-expiring reset key: ld-relay keeps one old SDK key beside the current one.
      const old = retired.find((r) => r.environment_id === env.id);
      out.set(env.id, {
        envID: env.id,
        envKey: env.key,
        envName: env.name,
        mobKey: env.mobile_key,
        projKey: project.key,
        projName: project.name,
        sdkKey: { value: env.sdk_key, ...(old ? { expiring: { value: old.sdk_key, timestamp: Number(old.expires_at) } } : {}) },
        defaultTtl: doc.defaultTtl,
        secureMode: doc.secureMode,
      });
    }
  }
  return out;
}

export class RelayStreams extends StreamHub<RelayFeed> {
  /**
   * ld-relay applies an environment's patch or delete only above the version it last saw of it, and keeps what it
   * saw across reconnects (to another instance, or this one restarted): versions are the clock's microseconds (its
   * milliseconds times 1,000), one per put or batch of changes, and never go back in this process. So a version runs
   * ahead of the clock only when more than 1,000 batches fall in one millisecond.
   */
  private lastVersion = 0;

  constructor(
    private readonly db: Db,
    bus: ChangeBus,
    private readonly now: () => number,
    private readonly log: StreamsLog,
  ) {
    super(bus);
  }

  protected override beat(feed: RelayFeed): void {
    feed.endRefused(feed.row, this.now());
    feed.send(':\n\n');
  }

  /** Feeds response (its headers written) a `put` of the configuration's environments now, then every change. */
  async open(row: RelayAutoConfigRow, key: string, protocolVersion: number, response: ServerResponse): Promise<void> {
    let feed = this.feeds.get(row.id);
    if (!feed) {
      feed = new RelayFeed(row);
      this.feeds.set(row.id, feed);
    }
    const joined = feed;
    // The key was just found by reading the row: newer than the feed's when a reset or patch is not yet heard of.
    if (row.last_modified > joined.row.last_modified) joined.row = row;
    const forgetIfUnheard = () => {
      if (joined.connections.size === 0 && joined.joining === 0 && this.feeds.get(row.id) === joined) this.feeds.delete(row.id);
    };
    response.on('close', () => {
      joined.connections.delete(response);
      forgetIfUnheard();
    });
    joined.joining += 1;
    try {
      await joined.run(async () => {
        const environments = await relayEnvironments(this.db, singleRole(relayDoc(joined.row).policy), this.now());
        if (response.destroyed) return;
        // A put carries every environment at a new version: ld-relay takes those that changed while it was away, and
        // finds nothing to do for the rest.
        const version = this.nextVersion();
        joined.sent ??= new Map([...environments].map(([id, env]) => [id, JSON.stringify(env)]));
        const data: Record<string, unknown> = { environments: Object.fromEntries([...environments].map(([id, env]) => [id, { ...env, version }])) };
        // rpacProtocolVersion 2 and later also carry payload filters; iterlab has none.
        if (protocolVersion >= 2) data.filters = {};
        response.write(event('put', { path: '/', data }));
        joined.connections.set(response, { key });
      });
    } finally {
      joined.joining -= 1;
      forgetIfUnheard();
    }
  }

  private nextVersion(): number {
    this.lastVersion = Math.max(this.now() * 1000, this.lastVersion + 1);
    return this.lastVersion;
  }

  protected changed(notice: ChangeNotice | null): void {
    for (const feed of this.feeds.values()) {
      const affects = notice === null || notice.kind === 'project' || notice.kind === 'environment' || (notice.kind === 'relay-auto-config' && notice.id === feed.row.id);
      if (affects) feed.refreshSoon(() => this.refresh(feed));
    }
  }

  /** Reads the configuration and its environments again and sends each connection what changed. */
  private async refresh(feed: RelayFeed): Promise<void> {
    if (this.feeds.get(feed.row.id) !== feed || feed.connections.size === 0) return;
    try {
      const row = await this.db.selectFrom('relay_auto_configs').selectAll().where('id', '=', feed.row.id).executeTakeFirst();
      feed.endRefused(row, this.now());
      if (!row || feed.connections.size === 0) {
        this.feeds.delete(feed.row.id);
        return;
      }
      feed.row = row;
      const environments = await relayEnvironments(this.db, singleRole(relayDoc(row).policy), this.now());
      const sent = feed.sent ?? new Map<string, string>();
      let text = '';
      // One version for the batch: each environment's must rise, not differ from the others'.
      let version: number | undefined;
      for (const [id, env] of environments) {
        const envText = JSON.stringify(env);
        if (sent.get(id) === envText) continue;
        sent.set(id, envText);
        version ??= this.nextVersion();
        text += event('patch', { path: `/environments/${id}`, data: { ...env, version } });
      }
      for (const id of [...sent.keys()]) {
        if (environments.has(id)) continue;
        sent.delete(id);
        version ??= this.nextVersion();
        text += event('delete', { path: `/environments/${id}`, version });
      }
      feed.sent = sent;
      if (text) feed.send(text);
    } catch (err) {
      // The connections keep what they have; the next change (or reconnect) reads again.
      this.log.warn({ err }, 'could not read environments for Relay Proxy streams');
    }
  }
}
