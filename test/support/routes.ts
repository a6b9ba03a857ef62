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
 * What opens one of the SDKs' routes (config.sdkKey), told from its path as the SDKs call it: the server-side SDKs'
 * by an SDK key in Authorization, the mobile SDKs' (/msdk, /meval, /mobile) by a mobile key in Authorization, the
 * client-side SDKs' by the client-side ID (the environment's `_id`) as the `:envId` path segment, Authorization
 * being ignored (browsers hold no secret). The Relay Proxy's automatic configuration stream is opened by a Relay Proxy
 * configuration's key in Authorization.
 */
export type SdkCredential = 'sdk-key' | 'mobile-key' | 'client-side-id' | 'relay-key';

export function sdkCredential(route: Pick<RegisteredRoute, 'url' | 'config'>): SdkCredential | undefined {
  if (!route.config.sdkKey) return undefined;
  if (paramNames(route.url).includes('envId')) return 'client-side-id';
  if (route.url === '/relay_auto_config') return 'relay-key';
  if (/^\/(msdk|meval|mping|mobile)(\/|$)/.test(route.url)) return 'mobile-key';
  return 'sdk-key';
}

/**
 * The SDKs' routes that answer an event stream, which never ends by itself: GET /all, /sdk/stream; GET and REPORT
 * /eval, /meval; GET /ping, /mping; GET /relay_auto_config.
 */
export function isStreamRoute(route: Pick<RegisteredRoute, 'method' | 'url' | 'config'>): boolean {
  return route.config.sdkKey === true && (route.method === 'GET' || route.method === 'REPORT') && /^\/(all|eval|meval|ping|mping|sdk\/stream|relay_auto_config)(\/|$)/.test(route.url);
}

/** The event a stream starts with: FDv2's intent (/sdk/stream), a ping stream's `ping`, or every other's `put`. */
export function firstStreamEvent(route: Pick<RegisteredRoute, 'url'>): string {
  if (route.url === '/sdk/stream') return 'server-intent';
  return isPingRoute(route) ? 'ping' : 'put';
}

/** The ping streams (/ping, /mping): a `ping` event at once and after each change, no values. */
export function isPingRoute(route: Pick<RegisteredRoute, 'url'>): boolean {
  return /^\/(ping|mping)(\/|$)/.test(route.url);
}

/** A context as the client-side and mobile SDKs put it in a path segment (`:context`): base64url of its JSON. */
export function encodeContext(context: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(context), 'utf8').toString('base64url');
}

/**
 * The role a route needs, per the house rule (computed here independently of the edge that enforces it); for the
 * SDKs' routes, which no access token opens, the SDK credential that does (see sdkCredential).
 */
export function expectedRole(route: RegisteredRoute): Role | 'none' | SdkCredential {
  const sdk = sdkCredential(route);
  if (sdk) return sdk;
  if (route.config.public) return 'none';
  if (route.config.role) return route.config.role;
  return route.method === 'GET' || route.method === 'HEAD' ? 'reader' : 'writer';
}

export const ROLE_ORDER: Role[] = ['reader', 'writer', 'admin'];

export function roleSuffices(held: Role, needed: Role | 'none' | SdkCredential): boolean {
  if (needed === 'sdk-key' || needed === 'mobile-key' || needed === 'client-side-id' || needed === 'relay-key') return false;
  return needed === 'none' || ROLE_ORDER.indexOf(held) >= ROLE_ORDER.indexOf(needed);
}

export function routeName(route: RegisteredRoute): string {
  return `${route.method} ${route.url}`;
}

/** Every route but the catch-all CORS preflight (covered by its own test). */
export function apiRoutes(routes: readonly RegisteredRoute[]): RegisteredRoute[] {
  return routes.filter((r) => r.method !== 'OPTIONS');
}

/** Whether the method carries a body (REPORT: the client-side and mobile SDKs' reads, the context as the body). */
export function hasBody(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'REPORT';
}
