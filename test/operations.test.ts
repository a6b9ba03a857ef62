// /healthz, /readyz and /metrics: public, outside the LaunchDarkly API.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_DATABASE_URL, testDb } from './support/db.js';
import { startServer, type TestServer } from './support/server.js';

describe('operations endpoints', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('GET /healthz answers 200 without a token', async () => {
    s = await startServer();
    const res = await s.get('/healthz', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the store answers and is migrated', async () => {
    s = await startServer();
    const res = await s.get('/readyz', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it.skipIf(testDb !== 'postgres')('GET /readyz answers 503 {code, message} when the database is gone', async () => {
    s = await startServer();
    const name = new URL(s.deps.config.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database ${name} with (force)`).finally(() => admin.end());
    const res = await s.get('/readyz', { token: null });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('service_unavailable');
    expect(res.body.message).toMatch(/^Not ready: the store is unreachable \(.*does not exist/);
    // and an API request on a lost database is a 503 to retry, not a 500
    const api = await s.get('/api/v2/projects/nope');
    expect(api.status).toBe(503);
    expect(api.body.code).toBe('service_unavailable');
    // and so is an SDK's request: by SDK key, by client-side ID (REPORT too), by mobile key
    const context = Buffer.from(JSON.stringify({ kind: 'user', key: 'k' })).toString('base64url');
    for (const [method, path, token] of [
      ['GET', '/sdk/latest-all', 'sdk-00000000-0000-4000-8000-000000000000'],
      ['GET', `/sdk/evalx/6b0000000000000000000000/contexts/${context}`, null],
      ['REPORT', '/sdk/evalx/6b0000000000000000000000/context', null],
      ['GET', `/msdk/evalx/contexts/${context}`, 'mob-00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const sdk = await s.request(method, path, { token, body: method === 'REPORT' ? { kind: 'user', key: 'k' } : undefined });
      expect(sdk.status, `${method} ${path}: ${JSON.stringify(sdk.body)}`).toBe(503);
      expect(sdk.body.code).toBe('service_unavailable');
    }
  });

  it('GET /metrics counts requests by route pattern, method and status, and rate-limit rejections', async () => {
    s = await startServer({ env: { RATE_LIMIT_ROUTE_PER_10S: '2' } });
    await s.get('/api/v2/projects/one');
    await s.get('/api/v2/projects/two');
    expect((await s.get('/api/v2/projects/three')).status).toBe(429);
    await s.get('/no/such/route', { token: null });
    // REPORT, the client-side and mobile SDKs' method, is counted like any other (an unknown client-side ID: 404).
    expect((await s.request('REPORT', '/sdk/evalx/nope/context', { token: null, body: { kind: 'user', key: 'k' } })).status).toBe(404);
    const res = await s.get('/metrics', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body as string;
    expect(text).toContain('iterlab_http_request_duration_seconds_count{route="/api/v2/projects/:projectKey",method="GET",status="404"} 2');
    expect(text).toContain('iterlab_http_request_duration_seconds_count{route="/api/v2/projects/:projectKey",method="GET",status="429"} 1');
    expect(text).toContain('iterlab_http_request_duration_seconds_count{route="unmatched",method="GET",status="404"} 1');
    expect(text).toContain('iterlab_http_request_duration_seconds_count{route="/sdk/evalx/:envId/context",method="REPORT",status="404"} 1');
    expect(text).toContain('iterlab_http_request_duration_seconds_bucket{le="0.005",route="/api/v2/projects/:projectKey",method="GET",status="404"}');
    expect(text).toMatch(/^iterlab_rate_limit_rejections_total 1$/m);
    expect(text).toMatch(/^iterlab_process_resident_memory_bytes \d+/m);
    if (testDb === 'postgres') {
      expect(text).toMatch(/^iterlab_db_pool_connections\{state="total"\} [1-9]\d*$/m);
      expect(text).toMatch(/^iterlab_db_pool_connections\{state="idle"\} \d+$/m);
      expect(text).toMatch(/^iterlab_db_pool_connections\{state="waiting"\} 0$/m);
      expect(text).toMatch(/^iterlab_change_bus_listening 1$/m);
    } else {
      expect(text).not.toContain('iterlab_db_pool_connections');
    }
  });
});
