// Serialized answers to read requests (GET experiment, experiment lists), kept until a write to their project.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeBus } from '../store/changes.js';
import type { ChangeNotice } from './context.js';

interface Entry {
  projectId: string;
  /** The JSON, encoded once: a hit then costs no UTF-8 encoding of a body that can be tens of kilobytes. */
  body: Buffer;
}

/**
 * A GET answered from the store is kept as its JSON text, keyed by everything the answer depends on (URL and
 * API version; the caller has already authenticated and authorized the request, every time). It hears every
 * change, this instance's and the others', on the change bus: a notice drops its project's entries (one without
 * a project drops all); while the bus is deaf (its LISTEN connection lost) nothing is served from, or kept in,
 * the cache.
 *
 * A request that read the store before a write committed must not store what it read after that write's
 * notice: every notice advances `generation`, and a fill computed under an older generation is not kept.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly bus: Pick<ChangeBus, 'live' | 'subscribe'>,
    private readonly maxEntries = 2000,
  ) {
    bus.subscribe((notice) => (notice === null ? this.clear() : this.invalidate(notice)));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Sends the cached answer to request, or computes it ({projectId, value}), sends it and keeps it. */
  async serve(
    request: FastifyRequest,
    reply: FastifyReply,
    compute: () => Promise<{ projectId: string; value: unknown }>,
  ): Promise<FastifyReply> {
    if (!this.bus.live) {
      this.generation++;
      return reply.type('application/json; charset=utf-8').send(JSON.stringify((await compute()).value));
    }
    const key = `${request.apiVersion} ${request.url}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) return reply.type('application/json; charset=utf-8').send(hit.body);
    const generation = this.generation;
    const { projectId, value } = await compute();
    const body = Buffer.from(JSON.stringify(value));
    if (generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { projectId, body });
    }
    return reply.type('application/json; charset=utf-8').send(body);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  invalidate(notice: ChangeNotice): void {
    this.generation++;
    if (this.entries.size === 0) return;
    if (notice.projectId === undefined) {
      // Tokens change who may read, not what is read; every request is authorized before the cache is asked.
      if (notice.kind !== 'token') this.entries.clear();
      return;
    }
    for (const [key, entry] of this.entries) if (entry.projectId === notice.projectId) this.entries.delete(key);
  }
}
