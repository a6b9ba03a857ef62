// Operations endpoints, public and outside the LaunchDarkly API: /healthz, /readyz and Prometheus /metrics.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/db.js';
import { RequestDurations } from './requestDurations.js';

export interface OperationsSources {
  store: Store;
  /** Whether the change bus hears the other instances (PostgreSQL); undefined when there is none to hear. */
  changeBusLive?: () => boolean;
  changeBusDrops?: () => number;
  /** Requests served without a rate limit because Redis did not answer. */
  rateLimitFailOpen?: () => number;
  /** SDK streams open on this instance (GET /all). */
  sdkStreams?: () => number;
  /** How long /readyz waits for the store before answering 503. */
  readyTimeoutMs?: number;
}

export interface Operations {
  registry: Registry;
  /** The edge calls this for every 429. */
  rateLimited(): void;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Installs the three endpoints and the one per-request cost of metrics: an onResponse hook that makes a single
 * histogram observation (its _count series is the request count), labelled by route pattern, method and status.
 */
export function installOperations(app: FastifyInstance, sources: OperationsSources): Operations {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'iterlab_' });

  const durations = new RequestDurations(
    'iterlab_http_request_duration_seconds',
    'HTTP requests by route pattern, method and status: latency, and (as _count) the number of requests',
    LATENCY_BUCKETS,
    registry,
  );
  const rejections = new Counter({
    name: 'iterlab_rate_limit_rejections_total',
    help: 'Requests refused with 429 by the rate limiter',
    registers: [registry],
  });
  if (sources.store.kind === 'postgres') {
    new Gauge({
      name: 'iterlab_db_pool_connections',
      help: 'PostgreSQL pool: connections open (total), idle, and requests waiting for one (waiting)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const stats = sources.store.poolStats();
        if (!stats) return;
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
  }
  if (sources.changeBusLive) {
    const live = sources.changeBusLive;
    new Gauge({
      name: 'iterlab_change_bus_listening',
      help: '1 while this instance hears the other instances\' changes (LISTEN); 0 while its caches are bypassed',
      registers: [registry],
      collect() {
        this.set(live() ? 1 : 0);
      },
    });
  }
  if (sources.sdkStreams) {
    const open = sources.sdkStreams;
    new Gauge({
      name: 'iterlab_sdk_streams',
      help: 'SDK streams (GET /all) open on this instance',
      registers: [registry],
      collect() {
        this.set(open());
      },
    });
  }
  if (sources.changeBusDrops) {
    countedFrom(registry, 'iterlab_change_bus_disconnects_total', 'Times the change-notification connection was lost', sources.changeBusDrops);
  }
  if (sources.rateLimitFailOpen) {
    countedFrom(registry, 'iterlab_rate_limit_fail_open_total', 'Requests served without a rate limit because Redis did not answer', sources.rateLimitFailOpen);
  }

  app.addHook('onResponse', (request, reply, done) => {
    durations.observe(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { public: true } }, async (_request, reply) => {
    const timeoutMs = sources.readyTimeoutMs ?? 2_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const status = await Promise.race([
        sources.store.migrationStatus(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the store did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      if (status.pending.length > 0) {
        return reply.code(503).send({ code: 'service_unavailable', message: `Not ready: migrations ${status.pending.join(', ')} have not run yet` });
      }
      return { status: 'ready' };
    } catch (err) {
      return reply.code(503).send({ code: 'service_unavailable', message: `Not ready: the store is unreachable (${(err as Error).message})` });
    } finally {
      clearTimeout(timer);
    }
  });

  app.get('/metrics', { config: { public: true } }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.header('content-type', registry.contentType).send(text);
  });

  return { registry, rateLimited: () => rejections.inc() };
}

/** A counter whose value a component keeps itself (so the component needs no metrics library). */
function countedFrom(registry: Registry, name: string, help: string, read: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = now;
    },
  });
}
