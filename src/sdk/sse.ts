// What the SDKs' streams share: the SSE answer's start, and a queue that runs one feed's reads one at a time.
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** An SSE comment this often: SDKs drop a stream silent for 5 minutes; ldcli sends one a minute, Relay every 3. */
export const HEARTBEAT_MS = 60_000;
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
