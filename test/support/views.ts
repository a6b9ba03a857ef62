// A project to link to views: `shop` with flags (one archived, one maintained by a team) and segments in production
// and test, on a server whose clock the test moves; calls carry `LD-API-Version: beta` unless told otherwise.
import { expect } from 'vitest';
import { withBeta as beta } from './experimentRefs.js';
import { startServer, type RequestOptions, type Response, type TestServer } from './server.js';

export interface ViewWorld {
  s: TestServer;
  /** The server's clock (epoch ms); tests move it. */
  clock: { now: number };
  /** The environments' `_id`s, LaunchDarkly's environmentId. */
  env: { production: string; test: string };
  /** The owner's member id (the tokens' member). */
  ownerId: string;
  views: string;
  /** Calls with `LD-API-Version: beta` (and the admin token unless told). */
  get: (path: string, options?: RequestOptions) => Promise<Response>;
  post: (path: string, body: unknown, options?: RequestOptions) => Promise<Response>;
  patch: (path: string, body: unknown, options?: RequestOptions) => Promise<Response>;
  del: (path: string, body?: unknown, options?: RequestOptions) => Promise<Response>;
}

export async function viewWorld(t0 = Date.UTC(2026, 0, 1)): Promise<ViewWorld> {
  const clock = { now: t0 };
  const s = await startServer({ now: () => clock.now });
  const ok = async (res: Promise<Response>, status = 201) => {
    const r = await res;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };
  const project = await ok(s.post('/api/v2/projects', { key: 'shop', name: 'Shop' }));
  const envId = (key: string) => (project.environments as { key: string; _id: string }[]).find((e) => e.key === key)!._id;
  await ok(s.post('/api/v2/teams', { key: 'checkout-team', name: 'Checkout team' }));
  await ok(s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout', tags: ['backend', 'beta'], description: 'The new checkout' }));
  await ok(s.post('/api/v2/flags/shop', { key: 'search', name: 'Search', tags: ['frontend'], maintainerTeamKey: 'checkout-team' }));
  await ok(s.post('/api/v2/flags/shop', { key: 'legacy', name: 'Legacy banner', tags: ['backend'], temporary: false }));
  await ok(s.patch('/api/v2/flags/shop/legacy', [{ op: 'replace', path: '/archived', value: true }]), 200);
  for (const environment of ['production', 'test']) {
    await ok(s.post(`/api/v2/segments/shop/${environment}`, { key: 'beta-users', name: 'Beta users', tags: ['beta'] }));
    await ok(s.post(`/api/v2/segments/shop/${environment}`, { key: 'staff', name: 'Staff', description: 'Employees' }));
  }
  const me = await ok(s.get('/api/v2/members/me'), 200);
  return {
    s,
    clock,
    env: { production: envId('production'), test: envId('test') },
    ownerId: me._id,
    views: '/api/v2/projects/shop/views',
    get: (path, options) => s.get(path, beta(options)),
    post: (path, body, options) => s.post(path, body, beta(options)),
    patch: (path, body, options) => s.patch(path, body, beta(options)),
    del: (path, body, options) => s.request('DELETE', path, { ...beta(options), ...(body !== undefined ? { body } : {}) }),
  };
}

/** A view of `shop` (200, as LaunchDarkly documents createView). */
export async function createView(w: ViewWorld, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await w.post(w.views, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Links flags by key (as Terraform's launchdarkly_view_links does) or segments by identifier; 200. */
export async function linkTo(w: ViewWorld, viewKey: string, type: 'flags' | 'segments', body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await w.post(`${w.views}/${viewKey}/link/${type}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
