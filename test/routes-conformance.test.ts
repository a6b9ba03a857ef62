// Conformance everywhere: every route the app registers is an operation of LaunchDarkly's spec (so the shared hook
// validates its answers) or is listed, with its reason, under "Routes without a spec schema" in docs/compatibility.md.
// And the hook itself: it validates error bodies against the operation's documented error schema, fails 5xx and
// malformed error bodies, and counts error statuses an operation does not document instead of failing them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredRoute } from '../src/http/routeTable.js';
import { conformance, undocumented, violations } from './support/conformance.js';
import { routeName } from './support/routes.js';
import { startServer, type TestServer } from './support/server.js';

const DOC = path.join(path.dirname(fileURLToPath(import.meta.url)), '../docs/compatibility.md');
const SECTION = 'Routes without a spec schema';

/** The `METHOD /path` items of the section's bullet lines; `*` matches anything, `{name}` or `:name` one path segment. */
function listedRoutes(): { method: string; pattern: string; regex: RegExp }[] {
  const text = fs.readFileSync(DOC, 'utf8');
  const start = text.indexOf(`## ${SECTION}`);
  if (start < 0) return [];
  const end = text.indexOf('\n## ', start + 3);
  const section = text.slice(start, end < 0 ? undefined : end);
  const entries = section.split('\n').filter((line) => line.startsWith('- ')).flatMap((line) => [...line.matchAll(/`([A-Z]+) (\/[^`]*)`/g)]);
  return entries.map(([, method, pattern]) => ({
    method,
    pattern,
    regex: new RegExp(
      `^${pattern
        .split(/(\*|\{[^}]+\}|:[A-Za-z0-9_]+)/)
        .map((part) => (part === '*' ? '.*' : /^(\{[^}]+\}|:[A-Za-z0-9_]+)$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('')}$`,
    ),
  }));
}

function uncovered(routes: readonly RegisteredRoute[]): string[] {
  const listed = listedRoutes();
  const inSpec = (r: RegisteredRoute) => conformance().operation(r.method, r.url) !== undefined;
  return routes
    .filter((route) => {
      if (inSpec(route)) return false;
      const entry = listed.some((l) => l.method === route.method && l.regex.test(route.url));
      // HEAD is GET without a body: covered only where the GET it mirrors is.
      if (route.method === 'HEAD' && entry) return !routes.some((r) => r.method === 'GET' && r.url === route.url && (inSpec(r) || listed.some((l) => l.method === 'GET' && l.regex.test(r.url))));
      return !entry;
    })
    .map(routeName);
}

describe('every registered route is in the spec or documented as outside it', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('each route has an operation in spec/launchdarkly-openapi.json or an entry in docs/compatibility.md', () => {
    const routes = s.routes;
    const missing = uncovered(routes);
    expect(missing, `add an operation to the spec or a "- \`METHOD /path\`" line with its reason under "## ${SECTION}" in docs/compatibility.md`).toEqual([]);
    const inSpec = routes.filter((r) => conformance().operation(r.method, r.url)).length;
    console.log(`routes: ${routes.length} registered, ${inSpec} with a spec operation, ${routes.length - inSpec} documented as outside the spec`);
  });

  it('the section lists only routes that exist and that the spec does not have', () => {
    const stale = listedRoutes().filter((l) => !s.routes.some((r) => r.method === l.method && l.regex.test(r.url)));
    expect(stale.map((l) => `${l.method} ${l.pattern}`), 'entries that match no registered route').toEqual([]);
    const needless = s.routes.filter((r) => conformance().operation(r.method, r.url) && listedRoutes().some((l) => l.method === r.method && l.regex.test(r.url) && !l.pattern.includes('*')));
    expect(needless.map(routeName), 'listed although the spec has them').toEqual([]);
  });

  it('a route that is in neither is caught', async () => {
    const probe = await startServer();
    probe.app.get('/api/v2/__not-in-the-spec', async () => ({}));
    probe.app.post('/api/v2/projects/:projectKey/__not-in-the-spec', async () => ({}));
    expect(uncovered(probe.routes)).toEqual(['GET /api/v2/__not-in-the-spec', 'HEAD /api/v2/__not-in-the-spec', 'POST /api/v2/projects/:projectKey/__not-in-the-spec']);
    await probe.close();
  });
});

describe('the conformance hook checks error bodies', () => {
  const check = (method: string, url: string, status: number, body: unknown) => conformance().check(method, url, status, body);

  it('validates a documented error status against the operation’s error schema', () => {
    expect(check('POST', '/api/v2/flags/:projectKey', 409, { code: 'conflict', message: 'exists' })).toEqual([]);
    expect(check('POST', '/api/v2/flags/:projectKey', 409, { code: 'conflict' }).join()).toMatch(/postFeatureFlag 409: \/ must have required property 'message'/);
    expect(check('PATCH', '/api/v2/flags/:projectKey/:featureFlagKey', 400, { code: 1, message: 'm' }).join()).toMatch(/patchFeatureFlag 400: \/code must be string/);
  });

  it('counts an error status the operation does not document, and still checks its body', () => {
    undocumented.clear();
    expect(check('POST', '/api/v2/projects/:projectKey/environments/:environmentKey/experiments', 409, { code: 'conflict', message: 'exists' })).toEqual([]);
    expect(undocumented.get('createExperiment 409')).toBe(1);
    expect(check('POST', '/api/v2/projects/:projectKey/environments/:environmentKey/experiments', 413, { code: 'request_entity_too_large' }).join()).toMatch(/createExperiment 413: \/ must have required property 'message'/);
    undocumented.clear();
  });

  it('fails any 5xx, and an error body that is not {code, message}, on any route', async () => {
    const s = await startServer();
    s.app.get('/api/v2/__boom', async (_request, reply) => reply.code(500).send({ code: 'internal_server_error', message: 'boom' }));
    s.app.get('/api/v2/__bad-error', async (_request, reply) => reply.code(400).send({ error: 'no code' }));
    await s.get('/api/v2/__boom');
    await s.get('/api/v2/__bad-error');
    const found = violations.splice(0, violations.length);
    expect(found).toEqual([expect.stringMatching(/__boom: 500 is a server fault/), expect.stringMatching(/__bad-error 400: error body is not \{code, message\}/)]);
    await s.close();
  });
});
