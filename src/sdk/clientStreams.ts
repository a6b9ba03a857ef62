// The client-side and mobile SDKs' streams (/eval, /meval): each connection holds one context, and is sent a `put`
// of every available flag's value for it when it connects and again whenever a change alters any of them.
import type { ServerResponse } from 'node:http';
import type { ChangeNotice } from '../http/context.js';
import type { ChangeBus } from '../store/changes.js';
import type { Db } from '../store/db.js';
import type { Context } from '../resources/contexts/context.js';
import { clientDataFor, evaluateForClient, loadClientData, workingMobileKeys, type ClientEnvironment } from './clientSide.js';
import { MAX_UNSENT_BYTES, SerialQueue, StreamHub } from './sse.js';
import { affectsServed, type StreamsLog } from './streams.js';


interface Connection {
  /** The mobile key it was opened with (mobile streams). */
  mobileKey: string | undefined;
  /** When that key stops working (a mobile SDK key with an expiry). */
  expiresAt: number | undefined;
  /** A ping stream (/ping, /mping): told that something changed, with no context and no values. */
  ping: boolean;
  context: Context;
  withReasons: boolean;
  /** The last `put` sent, to send nothing when a change leaves this context's values as they were. */
  sent: string;
}

/** One environment's connections of one credential kind (client-side ID or mobile key: they see different flags). */
class ClientFeed extends SerialQueue {
  readonly connections = new Map<ServerResponse, Connection>();

  constructor(readonly environment: ClientEnvironment) {
    super();
  }
}

const put = (flags: Record<string, unknown>) => `event: put\ndata: ${JSON.stringify(flags)}\n\n`;
// EventSource drops an event whose data is empty: the ping carries an empty object.
const PING = 'event: ping\ndata: {}\n\n';

export class ClientStreams extends StreamHub<ClientFeed> {
  constructor(
    private readonly db: Db,
    bus: ChangeBus,
    private readonly now: () => number,
    private readonly log: StreamsLog,
  ) {
    super(bus);
  }

  protected override beat(feed: ClientFeed): void {
    // A mobile SDK key's streams end when it expires, at the latest by the next heartbeat.
    const now = this.now();
    for (const [response, connection] of feed.connections) {
      if (connection.expiresAt !== undefined && connection.expiresAt <= now) {
        response.end();
        feed.connections.delete(response);
      }
    }
    super.beat(feed);
  }

  /** Feeds response (headers written) a put of the context's flags now, then one after every change that alters them. */
  async open(environment: ClientEnvironment, context: Context, withReasons: boolean, response: ServerResponse): Promise<void> {
    const joined = this.feedOf(environment);
    const connection: Connection = { mobileKey: environment.mobileKey, expiresAt: environment.expiresAt, ping: false, context, withReasons, sent: '' };
    joined.connections.set(response, connection);
    response.on('close', () => this.forget(joined, response));
    await joined.run(async () => {
      const data = await clientDataFor(this.db, await loadClientData(this.db, environment), context);
      if (response.destroyed) return;
      connection.sent = put(evaluateForClient(data, context, withReasons));
      response.write(connection.sent);
    });
  }

  /** Feeds response (headers written) a `ping` now and after every change to the environment's flags or segments. */
  openPing(environment: ClientEnvironment, response: ServerResponse): void {
    const feed = this.feedOf(environment);
    feed.connections.set(response, { mobileKey: environment.mobileKey, expiresAt: environment.expiresAt, ping: true, context: {}, withReasons: false, sent: '' });
    response.on('close', () => this.forget(feed, response));
    // One at once: the SDK polls then, so that a change between its last poll and this connection is not missed.
    response.write(PING);
  }

  private feedOf(environment: ClientEnvironment): ClientFeed {
    const id = `${environment.kind}\u0000${environment.id}`;
    let feed = this.feeds.get(id);
    if (!feed) {
      feed = new ClientFeed(environment);
      this.feeds.set(id, feed);
    }
    return feed;
  }

  private forget(feed: ClientFeed, response: ServerResponse): void {
    feed.connections.delete(response);
    const id = `${feed.environment.kind}\u0000${feed.environment.id}`;
    if (feed.connections.size === 0 && this.feeds.get(id) === feed) this.feeds.delete(id);
  }

  protected changed(notice: ChangeNotice | null): void {
    for (const feed of this.feeds.values()) {
      if (notice === null || (affectsServed(notice) && (notice.projectId === undefined || notice.projectId === feed.environment.projectId))) {
        feed.refreshSoon(() => this.refresh(feed));
      }
    }
  }

  private async refresh(feed: ClientFeed): Promise<void> {
    if (feed.connections.size === 0) return;
    try {
      const row = await this.db.selectFrom('environments').select('mobile_key').where('id', '=', feed.environment.id).executeTakeFirst();
      const now = this.now();
      const mobileKeys = row && feed.environment.kind === 'mobile' ? await workingMobileKeys(this.db, feed.environment.id, now) : undefined;
      // Deleted, or (mobile) the key a stream was opened with reset, deleted or expired: its SDK reconnects and is
      // told the key is invalid.
      for (const [response, connection] of feed.connections) {
        const ownKey = connection.mobileKey === undefined || connection.mobileKey === row?.mobile_key;
        const keyWorks = ownKey || mobileKeys?.has(connection.mobileKey!) === true;
        // A mobile SDK key's expiry may have been changed since the stream opened.
        if (!ownKey && keyWorks) connection.expiresAt = mobileKeys!.get(connection.mobileKey!);
        if (!row || !keyWorks || (connection.expiresAt !== undefined && connection.expiresAt <= now)) {
          response.end();
          feed.connections.delete(response);
        }
      }
      if (!row || feed.connections.size === 0) return;
      const valued = [...feed.connections.values()].some((connection) => !connection.ping);
      const data = valued ? await loadClientData(this.db, feed.environment) : undefined;
      for (const [response, connection] of feed.connections) {
        // A ping stream's SDK polls for its values: it is told of every change, whether or not its values moved.
        const text = connection.ping ? PING : put(evaluateForClient(await clientDataFor(this.db, data!, connection.context), connection.context, connection.withReasons));
        if (!connection.ping && text === connection.sent) continue;
        connection.sent = text;
        if (response.writableLength > MAX_UNSENT_BYTES) response.destroy();
        else response.write(text);
      }
    } catch (err) {
      this.log.warn({ err }, 'could not read flags for client-side SDK streams');
    }
  }
}
