// An engineering-insights world: project `shop` (production, test) with flags, on a server whose clock the test moves;
// calls carry `LD-API-Version: beta` unless told otherwise. `deploy` posts a deployment's started and finished events
// as CI does.
import { expect } from 'vitest';
import { withBeta as beta } from './experimentRefs.js';
import { startServer, type RequestOptions, type Response, type TestServer } from './server.js';

export interface InsightsWorld {
  s: TestServer;
  clock: { now: number };
  get: (path: string, options?: RequestOptions) => Promise<Response>;
  post: (path: string, body: unknown, options?: RequestOptions) => Promise<Response>;
  put: (path: string, body: unknown, options?: RequestOptions) => Promise<Response>;
  patch: (path: string, body: unknown, options?: RequestOptions) => Promise<Response>;
  del: (path: string, options?: RequestOptions) => Promise<Response>;
}

export const EVENTS = '/api/v2/engineering-insights/deployment-events';
export const DEPLOYMENTS = '/api/v2/engineering-insights/deployments';
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

export async function insightsWorld(t0 = Date.UTC(2026, 0, 10)): Promise<InsightsWorld> {
  const clock = { now: t0 };
  const s = await startServer({ now: () => clock.now });
  const ok = async (res: Promise<Response>, status = 201) => {
    const r = await res;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };
  await ok(s.post('/api/v2/projects', { key: 'shop', name: 'Shop' }));
  await ok(s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' }));
  await ok(s.post('/api/v2/flags/shop', { key: 'search', name: 'Search' }));
  return {
    s,
    clock,
    get: (path, options) => s.get(path, beta(options)),
    post: (path, body, options) => s.post(path, body, beta(options)),
    put: (path, body, options) => s.put(path, body, beta(options)),
    patch: (path, body, options) => s.patch(path, body, beta(options)),
    del: (path, options) => s.del(path, beta(options)),
  };
}

/** A deployment event (201). */
export async function sendEvent(w: InsightsWorld, body: Record<string, unknown>): Promise<void> {
  const res = await w.post(EVENTS, { projectKey: 'shop', environmentKey: 'production', applicationKey: 'billing', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** A deployment that started at `at` and ended `durationMs` later (finished unless told), with its pull requests. */
export async function deploy(w: InsightsWorld, version: string, at: number, options: { durationMs?: number; status?: 'finished' | 'failed'; pullRequests?: unknown[]; applicationKey?: string; environmentKey?: string } = {}): Promise<void> {
  const common = { version, ...(options.applicationKey ? { applicationKey: options.applicationKey } : {}), ...(options.environmentKey ? { environmentKey: options.environmentKey } : {}) };
  await sendEvent(w, { ...common, eventType: 'started', eventTime: at, ...(options.pullRequests ? { deploymentMetadata: { pullRequests: options.pullRequests } } : {}) });
  await sendEvent(w, { ...common, eventType: options.status ?? 'finished', eventTime: at + (options.durationMs ?? 10 * 60 * 1000) });
}

/** The environment's deployments, newest first. */
export async function deploymentsOf(w: InsightsWorld, query = ''): Promise<Record<string, any>[]> {
  const res = await w.get(`${DEPLOYMENTS}?projectKey=shop&environmentKey=production&from=0${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}
