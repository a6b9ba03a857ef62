// Every registered route × every kind of credential: 401, 403 or through, exactly as the route declares.
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/http/context.js';
import type { RegisteredRoute } from '../src/http/routeTable.js';
import { readAllTables } from '../src/store/exportImport.js';
import { createSegment } from './support/fixtures.js';
import { createHoldout } from './support/holdouts.js';
import { apiRoutes, expectedRole, fillPath, hasBody, paramNames, roleSuffices, routeName } from './support/routes.js';
import { startServer, type Response, type TestServer } from './support/server.js';

/** Keys that exist, by path parameter; the holdout's `holdoutId` is filled in once it is created. */
const FIXTURE: Record<string, string> = { projectKey: 'acl', environmentKey: 'acl-env', segmentKey: 'acl-segment', holdoutKey: 'acl-holdout' };

/**
 * Routes registered by this suite only, so that every kind of declaration the edge honours (beta, public,
 * a role above or below the method's default) is exercised even before a slice declares one.
 */
const PROBES: { method: 'GET' | 'POST'; url: string; config: RegisteredRoute['config'] }[] = [
  { method: 'GET', url: '/api/v2/__probe/beta', config: { beta: true } },
  { method: 'POST', url: '/api/v2/__probe/beta', config: { beta: true } },
  { method: 'GET', url: '/api/v2/__probe/public', config: { public: true } },
  { method: 'GET', url: '/api/v2/__probe/admin-read', config: { role: 'admin' } },
  { method: 'POST', url: '/api/v2/__probe/reader-write', config: { role: 'reader' } },
];

interface Credential {
  name: string;
  token: string | null;
  role?: Role;
}

function securityHeaderProblems(res: Response): string[] {
  const expected: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  };
  return Object.entries(expected).filter(([h, v]) => res.headers[h] !== v).map(([h, v]) => `${h} is ${String(res.headers[h])}, expected ${v}`);
}

describe('access control', () => {
  let s: TestServer;
  let credentials: Credential[];
  let revokedToken: string;

  beforeAll(async () => {
    s = await startServer();
    for (const probe of PROBES) s.app.route({ method: probe.method, url: probe.url, config: probe.config, handler: async () => ({ probe: true }) });
    expect((await s.post('/api/v2/projects', { key: FIXTURE.projectKey, name: 'ACL', environments: [{ key: FIXTURE.environmentKey, name: 'ACL env', color: '000000' }] })).status).toBe(201);
    await createSegment(s, FIXTURE.projectKey, FIXTURE.environmentKey, FIXTURE.segmentKey);
    // A running holdout with an experiment in it, so that its routes (by key and by _id) meet a real one.
    FIXTURE.holdoutId = (await createHoldout(s, FIXTURE.projectKey, FIXTURE.environmentKey, FIXTURE.holdoutKey, { start: true })).holdoutId;
    // The revoked token is used once first, so the authenticator has cached it as valid before it is deleted.
    const created = await s.post('/api/v2/tokens', { name: 'revoked in this suite', role: 'admin' });
    revokedToken = created.body.token;
    expect((await s.get('/api/v2/projects', { token: revokedToken })).status).toBe(200);
    expect((await s.del(`/api/v2/tokens/${created.body._id}`)).status).toBe(204);
    credentials = [
      { name: 'no token', token: null },
      { name: 'unknown token', token: `api-${crypto.randomUUID()}` },
      { name: 'revoked token', token: revokedToken },
      { name: 'reader', token: s.tokens.reader, role: 'reader' },
      { name: 'writer', token: s.tokens.writer, role: 'writer' },
      { name: 'admin', token: s.tokens.admin, role: 'admin' },
    ];
  });
  afterAll(() => s.close());

  it('answers every route × credential exactly as the route declares (existing and nonexistent keys)', async () => {
    const routes = apiRoutes(s.routes);
    // Deletes last, the later-registered (more nested: segment before environment) first, so that every other route
    // meets the fixture's keys while they still exist.
    const ordered = [...routes.filter((r) => r.method !== 'DELETE'), ...routes.filter((r) => r.method === 'DELETE').reverse()];
    const failures: string[] = [];
    let cells = 0;
    for (const keys of [FIXTURE, {}]) {
      for (const route of ordered) {
        const path = fillPath(route.url, keys);
        const needed = expectedRole(route);
        const call = (credential: Credential, headers: Record<string, string>) =>
          s.request(route.method, path, { token: credential.token, headers, body: hasBody(route.method) ? {} : undefined });
        const where = (credential: Credential, extra = '') => `${routeName(route)} as ${credential.name}${extra} (${path})`;

        for (const credential of credentials) {
          cells += 1;
          const res = await call(credential, route.config.beta ? { 'LD-API-Version': 'beta' } : {});
          failures.push(...securityHeaderProblems(res).map((p) => `${where(credential)}: ${p}`));
          if (res.status >= 500) failures.push(`${where(credential)}: ${res.status} ${JSON.stringify(res.body)}`);
          if (needed === 'sdk-key') {
            // No access token opens the SDKs' routes: they want an environment's SDK key (src/sdk/*.security.test.ts).
            if (res.status !== 401) failures.push(`${where(credential)}: expected 401, got ${res.status}`);
            else if (route.method !== 'HEAD' && res.body.code !== 'unauthorized') failures.push(`${where(credential)}: 401 body ${JSON.stringify(res.body)}`);
          } else if (needed !== 'none' && !credential.role) {
            if (res.status !== 401) failures.push(`${where(credential)}: expected 401, got ${res.status}`);
            else if (route.method !== 'HEAD' && JSON.stringify(res.body) !== JSON.stringify({ code: 'unauthorized', message: 'Invalid access token' })) {
              failures.push(`${where(credential)}: 401 body ${JSON.stringify(res.body)}`);
            }
          } else if (credential.role && !roleSuffices(credential.role, needed)) {
            if (res.status !== 403) failures.push(`${where(credential)}: expected 403 (needs ${needed}), got ${res.status}`);
            else if (route.method !== 'HEAD' && res.body.code !== 'forbidden') failures.push(`${where(credential)}: 403 code ${res.body.code}`);
          } else if (res.status === 401 || res.status === 403) {
            failures.push(`${where(credential)}: expected access, got ${res.status} ${JSON.stringify(res.body)}`);
          } else if (keys === FIXTURE && route.method === 'GET' && paramNames(route.url).every((name) => name in FIXTURE) && res.status !== 200) {
            // Reads of resources the fixture holds are found: the matrix meets real ones, not only 404s.
            failures.push(`${where(credential)}: the fixture's keys should be found, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          }

          if (route.config.beta && credential.role && roleSuffices(credential.role, needed)) {
            cells += 1;
            const withoutBeta = await call(credential, {});
            if (withoutBeta.status !== 403) failures.push(`${where(credential, ' without LD-API-Version: beta')}: expected 403, got ${withoutBeta.status}`);
            else if (route.method !== 'HEAD' && !/beta/.test(withoutBeta.body.message)) failures.push(`${where(credential, ' without beta')}: message ${withoutBeta.body.message}`);
          }
        }
      }
    }
    const probes = routes.filter((r) => r.url.startsWith('/api/v2/__probe/')).length;
    console.log(`access-control matrix: ${cells} cells checked over ${routes.length} routes (${routes.length - probes} served by the app, ${probes} probes of this suite) × ${credentials.length} credentials × 2 key sets`);
    expect(failures).toEqual([]);
    expect(routes.length).toBeGreaterThan(PROBES.length);
  });

  it('a deleted token stops working at once, though it was authenticated (and cached) just before', async () => {
    expect((await s.get('/api/v2/projects', { token: revokedToken })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
  });

  it('401 for malformed credentials and for SDK and mobile keys, which cannot call the REST API', async () => {
    // A project of its own: the matrix above calls every route as admin, deletes and key resets included.
    const created = await s.post('/api/v2/projects', { key: 'acl-keys', name: 'Keys', environments: [{ key: 'keys', name: 'Keys', color: '000000' }] });
    const env = created.body.environments[0];
    for (const token of ['', ' ', 'Bearer', 'Bearer ', `Bearer  ${'x'.repeat(600)}`, 'x'.repeat(100_000), env.apiKey, env.mobileKey, s.tokens.admin.slice(0, -1), s.tokens.admin.toUpperCase()]) {
      const res = await s.get('/api/v2/projects', { token });
      expect(res.status, `token ${token.slice(0, 40)}`).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it('stores tokens only as sha256 hashes: no table holds a token value', async () => {
    const created: string[] = [];
    for (const role of ['reader', 'writer', 'admin']) {
      const res = await s.post('/api/v2/tokens', { name: `hash check ${role}`, role });
      expect(res.status).toBe(201);
      created.push(res.body.token);
    }
    const values = [...created, ...Object.values(s.tokens), revokedToken];
    const everything = JSON.stringify(await readAllTables(s.store));
    for (const value of values) {
      expect(everything.includes(value), 'a raw token value is stored').toBe(false);
      expect(everything.includes(value.replace(/^api-/, '')), 'a token value without its prefix is stored').toBe(false);
    }
    for (const value of created) expect(everything.includes(crypto.createHash('sha256').update(value).digest('hex'))).toBe(true);
  });

  it('sets the security headers on errors the edge itself produces (404, 405, 400)', async () => {
    for (const res of [
      await s.get('/api/v2/no-such-thing'),
      await s.request('PATCH', '/api/v2/projects'),
      await s.get('/api/v2/projects?limit=zero'),
      await s.request('GET', '/api/v2/projects/%E0%A4%A'),
      await s.get(`/api/v2/projects/${'k'.repeat(5000)}`),
    ]) {
      expect(securityHeaderProblems(res)).toEqual([]);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('answers CORS as LaunchDarkly: preflight 204 without a token on every route, Origin echoed, max age 300', async () => {
    const origin = 'https://app.example.test';
    let preflights = 0;
    for (const route of apiRoutes(s.routes)) {
      const res = await s.request('OPTIONS', fillPath(route.url, FIXTURE), {
        token: null,
        headers: { origin, 'access-control-request-method': route.method, 'access-control-request-headers': 'authorization,content-type,ld-api-version' },
      });
      preflights += 1;
      expect(res.status, routeName(route)).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers['access-control-max-age']).toBe('300');
      expect(String(res.headers['access-control-allow-methods']).split(/,\s*/)).toContain(route.method === 'HEAD' ? 'GET' : route.method);
      expect(String(res.headers['access-control-allow-headers'])).toMatch(/Authorization.*Content-Type.*LD-API-Version/);
    }
    for (const token of [s.tokens.reader, null]) {
      const res = await s.get('/api/v2/projects', { token, headers: { origin } });
      expect(res.status).toBe(token ? 200 : 401);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers.vary).toMatch(/Origin/);
      expect(String(res.headers['access-control-expose-headers'])).toMatch(/X-Ratelimit-Reset/);
    }
    expect((await s.get('/api/v2/projects')).headers['access-control-allow-origin']).toBeUndefined();
    console.log(`CORS: ${preflights} preflights checked`);
  });
});

describe('log redaction', () => {
  function capture(): { stream: Writable; text: () => string } {
    const chunks: string[] = [];
    return {
      stream: new Writable({
        write(chunk, _encoding, callback) {
          chunks.push(String(chunk));
          callback();
        },
      }),
      text: () => chunks.join(''),
    };
  }

  async function exercise(s: TestServer): Promise<string[]> {
    const minted = await s.post('/api/v2/tokens', { name: 'logged?', role: 'writer' });
    expect(minted.status).toBe(201);
    const unknown = `api-${crypto.randomUUID()}`;
    await s.get('/api/v2/projects', { token: minted.body.token });
    await s.get('/api/v2/projects', { token: `Bearer ${s.tokens.reader}` });
    await s.get('/api/v2/projects', { token: unknown });
    await s.get('/api/v2/projects/nope', { token: s.tokens.writer });
    await s.post('/api/v2/projects', { key: 'x', name: 5 }, { token: s.tokens.admin });
    await s.request('POST', '/api/v2/projects', { raw: '{"broken', token: s.tokens.admin });
    return [minted.body.token, unknown, ...Object.values(s.tokens)];
  }

  it('no token value reaches the logs at trace level', async () => {
    const log = capture();
    const s = await startServer({ logger: { level: 'trace', stream: log.stream } });
    try {
      const tokens = await exercise(s);
      const text = log.text();
      expect(text).toMatch(/incoming request/);
      for (const token of tokens) expect(text.includes(token), 'a token value was logged').toBe(false);
    } finally {
      await s.close();
    }
  });

  it('the Authorization header is censored even when request headers are logged', async () => {
    const log = capture();
    const serializers = { req: (req: { method: string; url: string; headers: Record<string, unknown> }) => ({ method: req.method, url: req.url, headers: req.headers }) };
    const s = await startServer({ logger: { level: 'info', stream: log.stream, serializers } });
    try {
      const tokens = await exercise(s);
      const text = log.text();
      expect(text).toMatch(/"authorization":"\[redacted\]"/);
      for (const token of tokens) expect(text.includes(token), 'a token value was logged').toBe(false);
    } finally {
      await s.close();
    }
  });
});
