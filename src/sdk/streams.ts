// The server-side SDKs' streams: each environment's open connections, fed everything when they connect and each
// flag or segment the change bus says changed (this instance's writes and every other's), in the protocol they
// opened: FDv1 (GET /all: a `put`, then a `patch` or `delete` per item) or FDv2 (GET /sdk/stream: payloads, see
// payloads.ts).
import type { ServerResponse } from 'node:http';
import type { ChangeNotice } from '../http/context.js';
import type { ChangeBus } from '../store/changes.js';
import type { Db } from '../store/db.js';
import { allData, loadServed, workingSdkKeys, type SdkEnvironment, type Served, type ServedItem } from './environmentData.js';
import { changesTransferred, fullTransfer, stateOf, streamStart, streamText, type PayloadName, type ServedChange } from './payloads.js';
import { MAX_UNSENT_BYTES, SerialQueue, StreamHub } from './sse.js';

function event(name: string, data: string): string {
  return `event: ${name}\ndata: ${data}\n\n`;
}

/**
 * The two kinds of item SDKs hold; each is also the first segment of its items' paths in patch and delete events.
 * Segments come first, so that a flag that starts matching on a new segment finds it.
 */
type Kind = keyof Served;
const KINDS: Kind[] = ['segments', 'flags'];

const put = (served: Served) => event('put', `{"path":"/","data":${allData(served)}}`);
const patch = (kind: Kind, key: string, text: string) => event('patch', `{"path":${JSON.stringify(`/${kind}/${key}`)},"data":${text}}`);
const tombstone = (kind: Kind, key: string, version: number) => event('delete', JSON.stringify({ path: `/${kind}/${key}`, version }));

const nothingServed = (): Served => ({ flags: new Map(), segments: new Map() });

/** The protocol a stream was opened in; an FDv2 stream may name a state its SDK held (`basis`). */
export type StreamProtocol = { fdv: 1 } | { fdv: 2; basis: string | undefined };

/** The key a stream was opened with, when it stops working (a reset key's expiry), and its protocol. */
interface Opened {
  key: string;
  expiresAt: number | undefined;
  fdv: 1 | 2;
}

/** One environment's connections and what they were last sent, by kind and key (tombstones included). */
class Feed extends SerialQueue {
  readonly connections = new Map<ServerResponse, Opened>();
  /** Connections waiting for their `put`: the feed is kept while any are. */
  joining = 0;
  served: Served | undefined;
  /** The FDv2 name of `served`, computed when an FDv2 stream first needs it. */
  private name: PayloadName | undefined;
  private lastVersion = 0;

  constructor(
    readonly environment: Pick<SdkEnvironment, 'id' | 'projectId'>,
    private readonly now: () => number,
  ) {
    super();
  }

  /** Sends text to every connection, or to those of one protocol. */
  send(text: string, fdv?: 1 | 2): void {
    for (const [connection, opened] of this.connections) {
      if (fdv !== undefined && opened.fdv !== fdv) continue;
      if (connection.writableLength > MAX_UNSENT_BYTES) connection.destroy();
      else connection.write(text);
    }
  }

  /** Sets (and returns) what the connections now hold; an FDv2 payload of it gets a new name. */
  hold(served: Served): Served {
    this.served = served;
    this.name = undefined;
    return served;
  }

  /** The FDv2 name of what is held: its state, and a version that is the time, kept rising on this feed. */
  payloadName(): PayloadName {
    if (!this.name) {
      this.lastVersion = Math.max(this.now(), this.lastVersion + 1);
      this.name = { id: this.environment.id, state: stateOf(this.served ?? nothingServed()), version: this.lastVersion };
    }
    return this.name;
  }

  speaks(fdv: 1 | 2): boolean {
    for (const opened of this.connections.values()) if (opened.fdv === fdv) return true;
    return false;
  }

  end(): void {
    for (const connection of this.connections.keys()) connection.end();
    this.connections.clear();
  }

  /** Ends the connections whose key no longer works: not among keys, or expired by now. */
  endRefused(keys: ReadonlyMap<string, number | undefined> | undefined, now: number): void {
    for (const [connection, opened] of this.connections) {
      if (keys) opened.expiresAt = keys.has(opened.key) ? keys.get(opened.key) : now;
      if (opened.expiresAt !== undefined && opened.expiresAt <= now) {
        connection.end();
        this.connections.delete(connection);
      }
    }
  }
}

export interface StreamsLog {
  warn(obj: object, msg: string): void;
}

export class SdkStreams extends StreamHub<Feed> {
  constructor(
    private readonly db: Db,
    bus: ChangeBus,
    private readonly now: () => number,
    private readonly log: StreamsLog,
  ) {
    super(bus);
  }

  protected override beat(feed: Feed): void {
    // A reset key's streams end when it expires, at the latest by the next heartbeat.
    feed.endRefused(undefined, this.now());
    feed.send(':\n\n');
  }

  /**
   * Feeds response (its headers already written) the environment's flags and segments now (FDv1: a `put`; FDv2: a
   * whole payload), then every change.
   */
  async open(environment: SdkEnvironment, response: ServerResponse, protocol: StreamProtocol): Promise<void> {
    let feed = this.feeds.get(environment.id);
    if (!feed) {
      feed = new Feed(environment, this.now);
      this.feeds.set(environment.id, feed);
    }
    const joined = feed;
    const forgetIfUnheard = () => {
      // With nobody listening, what was sent is forgotten; the next connection starts from a fresh read.
      if (joined.connections.size === 0 && joined.joining === 0 && this.feeds.get(environment.id) === joined) this.feeds.delete(environment.id);
    };
    response.on('close', () => {
      joined.connections.delete(response);
      forgetIfUnheard();
    });
    joined.joining += 1;
    try {
      await joined.run(async () => {
        const served = joined.served ?? joined.hold(await loadServed(this.db, environment.id));
        if (response.destroyed) return;
        response.write(protocol.fdv === 1 ? put(served) : streamText(streamStart(protocol.basis, served, joined.payloadName())));
        joined.connections.set(response, { key: environment.sdkKey, expiresAt: environment.expiresAt, fdv: protocol.fdv });
      });
    } finally {
      joined.joining -= 1;
      forgetIfUnheard();
    }
  }

  protected changed(notice: ChangeNotice | null): void {
    for (const feed of this.feeds.values()) {
      if (notice === null || (affectsServed(notice) && (notice.projectId === undefined || notice.projectId === feed.environment.projectId))) {
        feed.refreshSoon(() => this.refresh(feed));
      }
    }
  }

  /** Reads the environment's flags and segments again and sends each connection what changed. */
  private async refresh(feed: Feed): Promise<void> {
    if (this.feeds.get(feed.environment.id) !== feed) return;
    if (feed.connections.size === 0) {
      // Only connections still waiting for their put: they read afresh.
      feed.served = undefined;
      return;
    }
    try {
      const keys = await workingSdkKeys(this.db, feed.environment.id, this.now());
      // Deleted, or the key a stream holds reset (and past any expiry): its SDK reconnects with that key and is told
      // it is invalid.
      if (!keys) {
        this.feeds.delete(feed.environment.id);
        feed.end();
        return;
      }
      feed.endRefused(keys, this.now());
      const current = await loadServed(this.db, feed.environment.id);
      const diff = diffServed(feed.served ?? nothingServed(), current);
      if (diff.changes?.length === 0) {
        feed.served = diff.served;
        return;
      }
      feed.hold(diff.served);
      if (feed.speaks(1)) feed.send(fdv1Text(diff), 1);
      if (feed.speaks(2)) {
        const name = feed.payloadName();
        feed.send(streamText(diff.changes ? changesTransferred(diff.changes, name) : fullTransfer(diff.served, name, 'stale')), 2);
      }
    } catch (err) {
      // The connections keep what they have; the next change (or reconnect) reads again.
      this.log.warn({ err }, 'could not read flags for SDK streams');
    }
  }
}

/** Experiments that change a flag's targeting (starting, stopping) publish the flag's change too. */
export function affectsServed(notice: ChangeNotice): boolean {
  return notice.kind === 'flag' || notice.kind === 'segment' || notice.kind === 'environment' || notice.kind === 'project';
}

/**
 * What changed for SDKs that hold `before` (one kind's items) so that they hold `now`, and what they then hold; or
 * undefined when only sending everything can do it. SDKs apply a change only above the version they hold, so an
 * item that comes back (deleted, then created again with the same key) at or below its tombstone's version needs
 * everything sent again.
 */
function kindChanges(kind: Kind, before: ReadonlyMap<string, ServedItem>, now: ReadonlyMap<string, ServedItem>): { changes: ServedChange[]; served: Map<string, ServedItem> } | undefined {
  const changes: ServedChange[] = [];
  const served = new Map<string, ServedItem>();
  for (const [key, item] of now) {
    const old = before.get(key);
    if (item.text !== undefined) {
      if (old?.text === item.text && old.version === item.version) {
        served.set(key, old);
        continue;
      }
      if (old && item.version <= old.version) return undefined;
      changes.push({ kind, key, version: item.version, text: item.text });
      served.set(key, item);
    } else if (old?.text !== undefined) {
      // Archived: a tombstone above what the SDKs hold.
      const version = Math.max(item.version, old.version + 1);
      changes.push({ kind, key, version, text: undefined });
      served.set(key, { version, text: undefined });
    } else {
      served.set(key, old ?? item);
    }
  }
  for (const [key, old] of before) {
    if (now.has(key)) continue;
    if (old.text !== undefined) {
      const version = old.version + 1;
      changes.push({ kind, key, version, text: undefined });
      served.set(key, { version, text: undefined });
    } else {
      served.set(key, old);
    }
  }
  return { changes, served };
}

/**
 * What changed for SDKs that were sent `before` so that they hold `now` (segments first: a flag that starts
 * matching on a new segment then finds it), and what they then hold; `changes` undefined when an item came back
 * below its tombstone and only sending everything will do.
 */
export function diffServed(before: Served, now: Served): { changes: ServedChange[] | undefined; served: Served } {
  const changes: ServedChange[] = [];
  const served = {} as Served;
  for (const kind of KINDS) {
    const changed = kindChanges(kind, before[kind], now[kind]);
    if (!changed) return { changes: undefined, served: { flags: new Map(now.flags), segments: new Map(now.segments) } };
    changes.push(...changed.changes);
    served[kind] = changed.served;
  }
  return { changes, served };
}

/** A diff as FDv1 events: a patch or delete per item, or one put of everything. */
function fdv1Text(diff: { changes: ServedChange[] | undefined; served: Served }): string {
  if (!diff.changes) return put(diff.served);
  return diff.changes.map((c) => (c.text === undefined ? tombstone(c.kind, c.key, c.version) : patch(c.kind, c.key, c.text))).join('');
}

/** What an FDv1 stream is sent so that SDKs holding `before` hold `now`, event by event, and what they then hold. */
export function changes(before: Served, now: Served): { events: string[]; served: Served } {
  const diff = diffServed(before, now);
  const events = diff.changes ? diff.changes.map((c) => fdv1Text({ changes: [c], served: diff.served })) : [put(diff.served)];
  return { events, served: diff.served };
}
