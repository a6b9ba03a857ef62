// What the SDKs' and Relay Proxies' streams share: the SSE answer's start, a queue that runs one feed's reads one at
// a time, and the hub that holds the feeds.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeNotice } from '../http/context.js';
import type { ChangeBus } from '../store/changes.js';

/** An SSE comment this often: SDKs drop a stream silent for 5 minutes; ldcli sends one a minute, Relay every 3. */
const HEARTBEAT_MS = 60_000;
/**
 * A connection with this much unsent is not reading: it is cut rather than buffered without end (its SDK
 * reconnects and is sent everything, which is what it would need anyway).
 */
export const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

/** Takes the response over from Fastify and writes an event stream's headers; events are then written to reply.raw. */
export function startEventStream(request: FastifyRequest, reply: FastifyReply, headers: OutgoingHttpHeaders = {}): void {
  reply.hijack();
  // The server's idle timeout would cut a stream between two heartbeats.
  request.raw.socket.setTimeout(0);
  reply.raw.writeHead(200, {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-store',
    // Proxies that buffer (nginx) would hold the events back.
    'x-accel-buffering': 'no',
    ...headers,
  });
  // Sent now, not with the first event: a ping stream may have nothing to say for a long time.
  reply.raw.flushHeaders();
}

/** Loads and broadcasts one at a time, so that every connection sees the changes in the order they were read. */
export class SerialQueue {
  private queue: Promise<void> = Promise.resolve();
  private refreshQueued = false;

  run(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => {});
    return next;
  }

  /** A refresh, unless one is already waiting its turn (it will read whatever this one would). */
  refreshSoon(refresh: () => Promise<void>): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    void this.run(() => {
      this.refreshQueued = false;
      return refresh();
    }).catch(() => {});
  }
}

/** What a hub's feed holds: its open connections. */
interface HubFeed {
  readonly connections: Map<ServerResponse, unknown>;
}

/**
 * One kind of stream's feeds (server-side SDKs', client-side SDKs', Relay Proxies'), by id: told of every change on
 * the bus, kept alive by a heartbeat, counted, and all ended at shutdown.
 */
export abstract class StreamHub<F extends HubFeed> {
  protected readonly feeds = new Map<string, F>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(bus: ChangeBus) {
    this.unsubscribe = bus.subscribe((notice) => this.changed(notice));
    this.heartbeat = setInterval(() => {
      for (const feed of this.feeds.values()) this.beat(feed);
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Number of open streams (operations and tests). */
  get connections(): number {
    let n = 0;
    for (const feed of this.feeds.values()) n += feed.connections.size;
    return n;
  }

  /** Ends every stream (shutdown); clients reconnect to another instance or when this one is back. */
  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const feed of this.feeds.values()) for (const connection of feed.connections.keys()) connection.end();
    this.feeds.clear();
  }

  /** A change on the bus; null when what changed is unknown (every cache emptied). */
  protected abstract changed(notice: ChangeNotice | null): void;

  /** What each heartbeat does to a feed: an SSE comment on each connection. */
  protected beat(feed: F): void {
    for (const connection of feed.connections.keys()) connection.write(':\n\n');
  }
}
