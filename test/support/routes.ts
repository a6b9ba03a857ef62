// Helpers for suites that enumerate the app's routes: concrete paths for patterns, and the role each needs.
import type { Role } from '../../src/http/context.js';
import type { RegisteredRoute } from '../../src/http/routeTable.js';

const PARAM = /:([A-Za-z0-9_]+)(\([^)]*\))?/g;

/** The names of a pattern's path parameters, e.g. `['projectKey', 'environmentKey']`. */
export function paramNames(url: string): string[] {
  return [...url.matchAll(PARAM)].map((m) => m[1]);
}

/** A concrete path: each `:param` from `values` (else `fallback`), a trailing `*` as `wildcard`. */
export function fillPath(url: string, values: Record<string, string>, fallback = 'does-not-exist', wildcard = 'any/thing'): string {
  return url.replace(PARAM, (_m, name: string) => encodeURIComponent(values[name] ?? fallback)).replace(/\*$/, wildcard);
}

/**
 * The role a route needs, per the house rule (computed here independently of the edge that enforces it); 'sdk-key'
 * for the SDKs' routes, which no access token opens.
 */
export function expectedRole(route: RegisteredRoute): Role | 'none' | 'sdk-key' {
  if (route.config.sdkKey) return 'sdk-key';
  if (route.config.public) return 'none';
  if (route.config.role) return route.config.role;
  return route.method === 'GET' || route.method === 'HEAD' ? 'reader' : 'writer';
}

export const ROLE_ORDER: Role[] = ['reader', 'writer', 'admin'];

export function roleSuffices(held: Role, needed: Role | 'none' | 'sdk-key'): boolean {
  if (needed === 'sdk-key') return false;
  return needed === 'none' || ROLE_ORDER.indexOf(held) >= ROLE_ORDER.indexOf(needed);
}

export function routeName(route: RegisteredRoute): string {
  return `${route.method} ${route.url}`;
}

/** Every route but the catch-all CORS preflight (covered by its own test). */
export function apiRoutes(routes: readonly RegisteredRoute[]): RegisteredRoute[] {
  return routes.filter((r) => r.method !== 'OPTIONS');
}

/** Whether the method carries a body. */
export function hasBody(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH';
}
