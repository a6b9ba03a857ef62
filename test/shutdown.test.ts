// SIGTERM on a real process: no new connections, the in-flight request completes, exit 0 (or 1 past the grace).
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Instance } from './support/cluster.js';
import { freshDatabase, testDb, type FreshDatabase } from './support/db.js';
import { encodeContext } from './support/routes.js';
import { openStream, type OpenedStream } from './support/streams.js';

const ADMIN = 'api-shutdown-test-admin';

describe('graceful shutdown', () => {
  let database: FreshDatabase | undefined;
  let instance: Instance | undefined;
  let dir: string | undefined;
  let streams: OpenedStream[] = [];
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    if (instance?.alive) instance.kill('SIGKILL');
    await instance?.exited;
    instance = undefined;
    await database?.drop();
    database = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** Holds a PostgreSQL lock that makes GET /api/v2/projects wait, until release() is called. */
  async function blockProjectReads(url: string) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('begin');
    await client.query('lock table projects in access exclusive mode');
    return {
      waiting: async () => {
        const r = await client.query(`select count(*)::int as n from pg_stat_activity where application_name = 'iterlab' and wait_event_type = 'Lock'`);
        return r.rows[0].n as number;
      },
      release: async () => {
        await client.query('commit');
        await client.end();
      },
    };
  }

  it.skipIf(testDb !== 'postgres')('finishes the slow in-flight request, refuses new connections meanwhile, drains the pool, exits 0', async () => {
    database = await freshDatabase('postgres');
    instance = await Instance.spawn('shutdown', { DATABASE_URL: database.url, ITERLAB_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'info' });
    expect((await instance.call('GET', '/api/v2/projects', { token: ADMIN })).status).toBe(200);
    const lock = await blockProjectReads(database.url);
    const slow = instance.call('GET', '/api/v2/projects', { token: ADMIN });
    await vi.waitFor(async () => expect(await lock.waiting()).toBe(1), { timeout: 5000 });

    instance.kill('SIGTERM');
    // Each try gives up after a second (a connection the closing server took but never answered would hold the wait
    // up), and the whole wait is generous: on a loaded machine (CI beside other work) the signal's handling lags.
    await vi.waitFor(async () => {
      const refused = await fetch(`${instance!.url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
        () => false,
        (err) => /ECONNREFUSED/.test(String(err.cause?.code ?? err.cause ?? err)),
      );
      expect(refused).toBe(true);
    }, { timeout: 15_000, interval: 50 });
    expect(instance.alive).toBe(true);

    await lock.release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(await instance.exited).toEqual({ code: 0, signal: null });
    expect(instance.output).toContain('shut down cleanly');
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const left = await admin.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name like 'iterlab%'`);
    await admin.end();
    expect(left.rows[0].n).toBe(0);
  });

  it.skipIf(testDb !== 'postgres')("a request arriving on a busy kept-alive connection after SIGTERM gets LaunchDarkly's 503 {code, message}", async () => {
    database = await freshDatabase('postgres');
    instance = await Instance.spawn('closing', { DATABASE_URL: database.url, ITERLAB_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'info' });
    const lock = await blockProjectReads(database.url);
    const { hostname, port } = new URL(instance.url);
    const socket = net.connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const request = (p: string) => `GET ${p} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: ${ADMIN}\r\nConnection: keep-alive\r\n\r\n`;
    socket.write(request('/api/v2/projects'));
    await vi.waitFor(async () => expect(await lock.waiting()).toBe(1), { timeout: 5000 });
    instance.kill('SIGTERM');
    await vi.waitFor(() => expect(instance!.output).toMatch(/SIGTERM|shutting down/i), { timeout: 5000 });
    // The connection is busy (its first request waits on the lock), so the shutdown leaves it open for this one.
    socket.write(request('/api/v2/members/me'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await lock.release();
    await vi.waitFor(() => expect(received.match(/HTTP\/1\.1 \d{3}/g)?.length).toBe(2), { timeout: 5000 });
    socket.destroy();
    const [first, second] = received.split(/(?=HTTP\/1\.1 \d{3})/);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toContain('{"code":"service_unavailable","message":"The server is shutting down; retry shortly"}');
    expect((await instance.exited).code).toBe(0);
  });

  it.skipIf(testDb !== 'postgres')('gives up after SHUTDOWN_GRACE_MS: exit 1, saying so', async () => {
    database = await freshDatabase('postgres');
    instance = await Instance.spawn('grace', { DATABASE_URL: database.url, ITERLAB_ADMIN_TOKEN: ADMIN, SHUTDOWN_GRACE_MS: '300', LOG_LEVEL: 'info' });
    const lock = await blockProjectReads(database.url);
    const slow = instance.call('GET', '/api/v2/projects', { token: ADMIN }).catch((err) => err);
    await vi.waitFor(async () => expect(await lock.waiting()).toBe(1), { timeout: 5000 });
    instance.kill('SIGTERM');
    expect((await instance.exited).code).toBe(1);
    expect(instance.output).toMatch(/iterlab: requests still in flight 300 ms after SIGTERM \(SHUTDOWN_GRACE_MS\); exiting without them/);
    await slow;
    await lock.release();
  });

  it('a request whose body is still arriving when SIGTERM comes completes, then exit 0', async () => {
    database = testDb === 'postgres' ? await freshDatabase('postgres') : undefined;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-shutdown-'));
    const url = database?.url ?? `sqlite:${path.join(dir, 'iterlab.db')}`;
    instance = await Instance.spawn('shutdown-slow-body', { DATABASE_URL: url, ITERLAB_ADMIN_TOKEN: ADMIN });
    const body = JSON.stringify({ key: 'slow', name: 'Slow upload' });
    const { port } = new URL(instance.url);
    let answer!: Promise<{ status: number; text: string }>;
    const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v2/projects', headers: { authorization: ADMIN, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    answer = new Promise((resolve, reject) => {
      request.on('response', (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      request.on('error', reject);
    });
    request.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 200));
    instance.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(instance.alive).toBe(true);
    request.end(body.slice(10));
    const res = await answer;
    expect(res.status, res.text).toBe(201);
    expect(await instance.exited).toEqual({ code: 0, signal: null });
  });

  it('open SDK streams, which never end by themselves, are ended at SIGTERM: they hold up no shutdown, exit 0', async () => {
    database = testDb === 'postgres' ? await freshDatabase('postgres') : undefined;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-shutdown-'));
    const url = database?.url ?? `sqlite:${path.join(dir, 'iterlab.db')}`;
    instance = await Instance.spawn('shutdown-streams', { DATABASE_URL: url, ITERLAB_ADMIN_TOKEN: ADMIN, SHUTDOWN_GRACE_MS: '10000', LOG_LEVEL: 'info' });
    const created = await instance.call('POST', '/api/v2/projects', { token: ADMIN, body: { key: 'streams', name: 'Streams' } });
    expect(created.status).toBe(201);
    const env = (await instance.call('GET', '/api/v2/projects/streams/environments/production', { token: ADMIN })).body;
    const user = { kind: 'user', key: 'streamer' };
    const json = { 'content-type': 'application/json' };
    // Each SDK's stream: the server-side SDKs' by SDK key (FDv1 and FDv2), the client-side SDKs' by client-side ID
    // (GET and REPORT), the mobile SDKs' by mobile key (GET and REPORT).
    const opens: [string, string, Record<string, string>, string?][] = [
      ['GET', '/all', { authorization: env.apiKey }],
      ['GET', '/sdk/stream', { authorization: env.apiKey }],
      ['GET', `/eval/${env._id}/${encodeContext(user)}`, {}],
      ['REPORT', `/eval/${env._id}`, json, JSON.stringify(user)],
      ['GET', `/meval/${encodeContext(user)}`, { authorization: env.mobileKey }],
      ['REPORT', '/meval', { authorization: `api_key ${env.mobileKey}`, ...json }, JSON.stringify(user)],
    ];
    for (const [method, urlPath, headers, payload] of opens) {
      const stream = await openStream(instance.url, method, urlPath, { headers, payload });
      streams.push(stream);
      expect(stream.status, `${method} ${urlPath}`).toBe(200);
      expect((await stream.event(0)).event, `${method} ${urlPath}`).toBe(urlPath === '/sdk/stream' ? 'server-intent' : 'put');
    }

    const signalled = Date.now();
    instance.kill('SIGTERM');
    await Promise.all(streams.map((stream) => stream.ended));
    expect(await instance.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(instance.output).toContain('shut down cleanly');
  });

  it('a connection that never sent a request holds up no shutdown (Node leaves it until the headers timeout)', async () => {
    database = testDb === 'postgres' ? await freshDatabase('postgres') : undefined;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-shutdown-'));
    const url = database?.url ?? `sqlite:${path.join(dir, 'iterlab.db')}`;
    // Timeouts far beyond the test's own: only the server ending the connection lets the process exit in time.
    instance = await Instance.spawn('shutdown-silent', { DATABASE_URL: url, ITERLAB_ADMIN_TOKEN: ADMIN, REQUEST_TIMEOUT_MS: '600000', SHUTDOWN_GRACE_MS: '600000', LOG_LEVEL: 'info' });
    const { port } = new URL(instance.url);
    const silent = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => silent.once('connect', resolve).once('error', reject));
    const closed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    silent.on('error', () => {});
    // The server has taken the connection before the signal.
    await vi.waitFor(async () => expect((await instance!.call('GET', '/api/v2/projects', { token: ADMIN })).status).toBe(200));

    instance.kill('SIGTERM');
    await closed;
    expect(await instance.exited).toEqual({ code: 0, signal: null });
    expect(instance.output).toContain('shut down cleanly');
  });
});
