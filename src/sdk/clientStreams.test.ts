// The client-side and mobile SDKs' streams (/eval, /meval) over real HTTP: a `put` of the context's flag values on
// connecting (the map /sdk/evalx answers), a new `put` when a change alters them and nothing when it does not; the
// stream ends with its environment, and the server counts the streams it holds.
import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const b64 = (context: unknown) => Buffer.from(JSON.stringify(context)).toString('base64url');
/** How long a stream must stay quiet to count as sent nothing (changes reach streams in milliseconds). */
const QUIET_MS = 400;

interface SseEvent {
  event: string;
  data: any;
}

interface Stream {
  status: number;
  headers: Headers;
  /** The next event, or a rejection after timeoutMs or when the stream ends first. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Events received and not yet taken by next(). */
  pending: SseEvent[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

const opened: Stream[] = [];

/**
 * Opens an SSE request and reads its events as they come, comments skipped. node:http rather than fetch: after an
 * aborted fetch, undici opens a fresh connection that sits idle and holds the server's close for half a minute.
 */
async function openStream(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Stream> {
  const request = http.request(url, { method: init.method ?? 'GET', headers: init.headers });
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
    request.end(init.body);
  });
  const pending: SseEvent[] = [];
  const waiters: { resolve: (e: SseEvent) => void; reject: (err: Error) => void }[] = [];
  let done = false;
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const finish = () => {
    if (done) return;
    done = true;
    markEnded();
    for (const waiter of waiters.splice(0)) waiter.reject(new Error('the stream ended'));
  };
  const deliver = (event: SseEvent) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(event);
    else pending.push(event);
  };
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n').filter((line) => !line.startsWith(':'));
      if (lines.length === 0) continue;
      const name = lines.find((line) => line.startsWith('event:'))?.slice(6).trim() ?? 'message';
      const data = lines
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      deliver({ event: name, data: JSON.parse(data) });
    }
  });
  response.on('end', finish);
  response.on('close', finish);
  response.on('error', finish);
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  const stream: Stream = {
    status: response.statusCode ?? 0,
    headers,
    pending,
    ended,
    next: (timeoutMs = 5_000) => {
      const ready = pending.shift();
      if (ready) return Promise.resolve(ready);
      if (done) return Promise.reject(new Error('the stream ended'));
      return new Promise<SseEvent>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no event within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          resolve: (e: SseEvent) => {
            clearTimeout(timer);
            resolve(e);
          },
          reject: (err: Error) => {
            clearTimeout(timer);
            reject(err);
          },
        };
        waiters.push(waiter);
      });
    },
    close: () => request.destroy(),
  };
  opened.push(stream);
  return stream;
}

const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

describe('client-side and mobile SDK streams (/eval, /meval)', () => {
  let s: TestServer;
  let w: World;
  let envId: string;
  let mobileKey: string;
  const evalUrl = (context: unknown, query = '') => `${s.url}/eval/${envId}/${b64(context)}${query}`;
  const evalx = async (context: unknown, query = '') => (await s.get(`/sdk/evalx/${envId}/contexts/${b64(context)}${query}`, { token: null })).body;
  const mobileEvalx = async (context: unknown) => (await s.get(`/msdk/evalx/contexts/${b64(context)}`, { token: mobileKey })).body;
  const patchFlag = async (project: string, flag: string, patch: unknown[]) => {
    const res = await s.patch(`/api/v2/flags/${project}/${flag}`, patch);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const fallthrough = (flag: string, variation: number, env = 'production') => patchFlag(w.project, flag, [{ op: 'replace', path: `/environments/${env}/fallthrough/variation`, value: variation }]);

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    const env = (await s.get(`/api/v2/projects/${w.project}/environments/${w.env}`)).body;
    envId = env._id;
    mobileKey = env.mobileKey;
    await patchFlag(w.project, w.flag, [{ op: 'replace', path: '/clientSideAvailability', value: { usingEnvironmentId: true, usingMobileKey: true } }]);
    for (const [key, usingEnvironmentId, usingMobileKey] of [
      ['server-only', false, false],
      ['client-only', true, false],
      ['mobile-only', false, true],
    ] as const) {
      const res = await s.post(`/api/v2/flags/${w.project}`, { name: key, key, clientSideAvailability: { usingEnvironmentId, usingMobileKey } });
      expect(res.status).toBe(201);
      await patchFlag(w.project, key, [{ op: 'replace', path: '/environments/production/on', value: true }]);
    }
    await createWorld(s, 'other');
  });
  afterEach(async () => {
    for (const stream of opened.splice(0)) stream.close();
    await vi.waitFor(() => expect(s.app.clientStreams.connections).toBe(0));
  });
  afterAll(() => s.close());

  it('GET /eval/{envId}/{context}: an event stream whose first event is a put of the map /sdk/evalx answers', async () => {
    const context = { kind: 'user', key: 'streamer', groups: ['beta'] };
    const stream = await openStream(evalUrl(context));
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-store');
    expect(stream.headers.get('access-control-allow-origin')).toBe('*');
    const first = await stream.next();
    expect(first.event).toBe('put');
    expect(first.data).toEqual(await evalx(context));
    expect(Object.keys(first.data).sort()).toEqual(['checkout-button', 'client-only']);
    expect(first.data[w.flag]).toMatchObject({ value: true, variation: 0, trackEvents: false });
    expect(first.data[w.flag].reason).toBeUndefined();

    const withReasons = await openStream(evalUrl(context, '?withReasons=true'));
    const put = await withReasons.next();
    expect(put.event).toBe('put');
    expect(put.data).toEqual(await evalx(context, '?withReasons=true'));
    expect(put.data[w.flag].reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: w.ruleId });
  });

  it('a flag change that alters the context\'s values: a new put, with the changed value', async () => {
    const context = { kind: 'user', key: 'someone' };
    const stream = await openStream(evalUrl(context));
    expect((await stream.next()).data[w.flag].value).toBe(true);
    await fallthrough(w.flag, 1);
    try {
      const put = await stream.next();
      expect(put.event).toBe('put');
      expect(put.data[w.flag]).toMatchObject({ value: false, variation: 1 });
      expect(put.data).toEqual(await evalx(context));
      // A client-only flag changing is sent as well.
      await fallthrough('client-only', 1);
      const again = await stream.next();
      expect(again.data['client-only']).toMatchObject({ value: false, variation: 1 });
      expect(again.data[w.flag].value).toBe(false);
    } finally {
      await fallthrough(w.flag, 0);
      await fallthrough('client-only', 0);
    }
  });

  it('changes that cannot alter the context\'s values send nothing; a later relevant change still arrives', async () => {
    const context = { kind: 'user', key: 'someone-else' };
    const stream = await openStream(evalUrl(context));
    const first = await stream.next();
    try {
      // Flags client-side SDKs cannot see, another project's flag. (Not another environment's targeting: that bumps
      // the flag's version in every environment, sdkVersion(), so a put with the new version does follow.)
      await fallthrough('server-only', 1);
      await fallthrough('mobile-only', 1);
      await patchFlag('other', w.flag, [{ op: 'replace', path: '/environments/production/fallthrough/variation', value: 1 }]);
      await quiet();
      expect(stream.pending).toEqual([]);
      expect(first.data).toEqual(await evalx(context));

      await fallthrough(w.flag, 1);
      const put = await stream.next();
      expect(put.event).toBe('put');
      expect(put.data[w.flag]).toMatchObject({ value: false, variation: 1 });
      expect(put.data['server-only']).toBeUndefined();
      expect(put.data['mobile-only']).toBeUndefined();
    } finally {
      await fallthrough(w.flag, 0);
      for (const flag of ['server-only', 'mobile-only']) await fallthrough(flag, 0);
    }
  });

  it('a segment change that alters the context\'s values: a put; a new client-side flag: a put with it; archived: a put without it', async () => {
    expect((await s.post(`/api/v2/segments/${w.project}/production`, { name: 'Streamers', key: 'streamers' })).status).toBe(201);
    const made = await s.post(`/api/v2/flags/${w.project}`, { name: 'By segment', key: 'by-segment', clientSideAvailability: { usingEnvironmentId: true, usingMobileKey: false } });
    expect(made.status).toBe(201);
    await patchFlag(w.project, 'by-segment', [
      { op: 'replace', path: '/environments/production/on', value: true },
      { op: 'add', path: '/environments/production/rules/-', value: { clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['streamers'], negate: false }], variation: 1 } },
    ]);
    const context = { kind: 'user', key: 'segment-member' };
    const stream = await openStream(evalUrl(context));
    expect((await stream.next()).data['by-segment']).toMatchObject({ value: true, variation: 0 });
    expect((await s.patch(`/api/v2/segments/${w.project}/production/streamers`, [{ op: 'add', path: '/included/-', value: 'segment-member' }])).status).toBe(200);
    const put = await stream.next();
    expect(put.data['by-segment']).toMatchObject({ value: false, variation: 1 });
    expect(put.data).toEqual(await evalx(context));
    // Another context's membership leaves this one's values as they were: nothing sent.
    expect((await s.patch(`/api/v2/segments/${w.project}/production/streamers`, [{ op: 'add', path: '/included/-', value: 'someone-else' }])).status).toBe(200);
    await quiet();
    expect(stream.pending).toEqual([]);

    expect((await s.post(`/api/v2/flags/${w.project}`, { name: 'Brand new', key: 'brand-new', clientSideAvailability: { usingEnvironmentId: true, usingMobileKey: false } })).status).toBe(201);
    expect(Object.keys((await stream.next()).data).sort()).toEqual(['brand-new', 'by-segment', 'checkout-button', 'client-only']);
    await patchFlag(w.project, 'by-segment', [{ op: 'replace', path: '/archived', value: true }]);
    await patchFlag(w.project, 'brand-new', [{ op: 'replace', path: '/archived', value: true }]);
    // One put or two (the changes may be read together): the last has neither.
    let last = await stream.next();
    while ('by-segment' in last.data || 'brand-new' in last.data) last = await stream.next();
    expect(Object.keys(last.data).sort()).toEqual(['checkout-button', 'client-only']);
  });

  it('REPORT /eval/{envId}: the context as the body', async () => {
    const context = { kind: 'multi', user: { key: 'reporter', groups: ['beta'] }, org: { key: 'acme' } };
    const stream = await openStream(`${s.url}/eval/${envId}?withReasons=true`, { method: 'REPORT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(context) });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('access-control-allow-origin')).toBe('*');
    const first = await stream.next();
    expect(first.event).toBe('put');
    expect(first.data).toEqual(await evalx(context, '?withReasons=true'));
    expect(first.data[w.flag]).toMatchObject({ value: true, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: w.ruleId } });
    await fallthrough('client-only', 1);
    try {
      expect((await stream.next()).data['client-only']).toMatchObject({ value: false, reason: { kind: 'FALLTHROUGH' } });
    } finally {
      await fallthrough('client-only', 0);
    }
  });

  it('/meval with the mobile key (GET and REPORT): the mobile flags, and their changes only', async () => {
    const context = { kind: 'user', key: 'phone' };
    const get = await openStream(`${s.url}/meval/${b64(context)}`, { headers: { authorization: mobileKey } });
    const report = await openStream(`${s.url}/meval`, { method: 'REPORT', headers: { authorization: mobileKey, 'content-type': 'application/json' }, body: JSON.stringify(context) });
    for (const stream of [get, report]) {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const first = await stream.next();
      expect(first.event).toBe('put');
      expect(first.data).toEqual(await mobileEvalx(context));
      expect(Object.keys(first.data).sort()).toEqual(['checkout-button', 'mobile-only']);
    }
    try {
      await fallthrough('client-only', 1);
      await quiet();
      expect(get.pending).toEqual([]);
      expect(report.pending).toEqual([]);
      await fallthrough('mobile-only', 1);
      for (const stream of [get, report]) expect((await stream.next()).data['mobile-only']).toMatchObject({ value: false, variation: 1 });
    } finally {
      await fallthrough('client-only', 0);
      await fallthrough('mobile-only', 0);
    }
  });

  it('/meval without the mobile key, or with another key: 401, no stream', async () => {
    for (const authorization of [undefined, 'mob-00000000-0000-0000-0000-000000000000', s.tokens.admin, envId]) {
      const res = await fetch(`${s.url}/meval/${b64({ kind: 'user', key: 'u' })}`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ code: 'unauthorized', message: "Invalid mobile key: send an environment's mobile key as the Authorization header" });
    }
    expect(s.app.clientStreams.connections).toBe(0);
  });

  it('secure mode: the stream opens with the right h only', async () => {
    const env = (await s.get(`/api/v2/projects/${w.project}/environments/${w.env}`)).body;
    expect((await s.patch(`/api/v2/projects/${w.project}/environments/${w.env}`, [{ op: 'replace', path: '/secureMode', value: true }])).status).toBe(200);
    try {
      const context = { kind: 'user', key: 'secure-streamer' };
      const h = crypto.createHmac('sha256', env.apiKey).update('secure-streamer').digest('hex');
      const refused = await fetch(evalUrl(context));
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { code: string }).code).toBe('invalid_request');
      const stream = await openStream(evalUrl(context, `?h=${h}`));
      expect(stream.status).toBe(200);
      expect((await stream.next()).event).toBe('put');
    } finally {
      await s.patch(`/api/v2/projects/${w.project}/environments/${w.env}`, [{ op: 'replace', path: '/secureMode', value: false }]);
    }
  });

  it('deleting the environment ends its streams; others go on', async () => {
    const created = await s.post(`/api/v2/projects/${w.project}/environments`, { name: 'Staging', key: 'staging', color: 'aabbcc' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const staging = created.body;
    const context = { kind: 'user', key: 'doomed' };
    const client = await openStream(`${s.url}/eval/${staging._id}/${b64(context)}`);
    const mobile = await openStream(`${s.url}/meval/${b64(context)}`, { headers: { authorization: staging.mobileKey } });
    const survivor = await openStream(evalUrl(context));
    for (const stream of [client, mobile, survivor]) expect((await stream.next()).event).toBe('put');
    expect(s.app.clientStreams.connections).toBe(3);

    expect((await s.del(`/api/v2/projects/${w.project}/environments/staging`)).status).toBe(204);
    const within = (ms: number) => new Promise((_, reject) => setTimeout(() => reject(new Error(`the stream did not end within ${ms} ms`)), ms));
    await Promise.race([Promise.all([client.ended, mobile.ended]), within(5_000)]);
    await vi.waitFor(() => expect(s.app.clientStreams.connections).toBe(1));
    expect((await s.get(`/sdk/evalx/${staging._id}/contexts/${b64(context)}`, { token: null })).status).toBe(404);
    const gone = await fetch(`${s.url}/eval/${staging._id}/${b64(context)}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { code: string }).code).toBe('not_found');
    // The production stream is still served.
    await fallthrough(w.flag, 1);
    try {
      expect((await survivor.next()).data[w.flag].value).toBe(false);
    } finally {
      await fallthrough(w.flag, 0);
    }
  });

  it("resetting the mobile key ends the mobile streams opened with the old one; the client-side ID's go on", async () => {
    const created = await s.post(`/api/v2/projects/${w.project}/environments`, { name: 'Mobile', key: 'mobile-reset', color: 'aabbcc' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const env = created.body;
    const context = { kind: 'user', key: 'phone' };
    const mobile = await openStream(`${s.url}/meval/${b64(context)}`, { headers: { authorization: env.mobileKey } });
    const client = await openStream(`${s.url}/eval/${env._id}/${b64(context)}`);
    for (const stream of [mobile, client]) expect((await stream.next()).event).toBe('put');
    const before = s.app.clientStreams.connections;

    const reset = await s.post(`/api/v2/projects/${w.project}/environments/mobile-reset/mobileKey`, undefined);
    expect(reset.status).toBe(200);
    const within = (ms: number) => new Promise((_, reject) => setTimeout(() => reject(new Error(`the stream did not end within ${ms} ms`)), ms));
    await Promise.race([mobile.ended, within(5_000)]);
    await vi.waitFor(() => expect(s.app.clientStreams.connections).toBe(before - 1));
    expect((await s.get(`/msdk/evalx/contexts/${b64(context)}`, { token: env.mobileKey })).status).toBe(401);
    const renewed = await openStream(`${s.url}/meval/${b64(context)}`, { headers: { authorization: reset.body.mobileKey } });
    expect((await renewed.next()).event).toBe('put');
    renewed.close();
    client.close();
  });

  it('/ping/{envId} and /mping: a `ping` (data {}) after each change, and no values; /mping needs the mobile key', async () => {
    const client = await openStream(`${s.url}/ping/${envId}`);
    const mobile = await openStream(`${s.url}/mping`, { headers: { authorization: mobileKey } });
    expect(client.status).toBe(200);
    expect(mobile.status).toBe(200);
    // One ping at once (the SDK polls then), then one per change.
    for (const stream of [client, mobile]) expect(await stream.next()).toMatchObject({ event: 'ping', data: {} });
    await fallthrough(w.flag, 1);
    try {
      for (const stream of [client, mobile]) expect(await stream.next()).toMatchObject({ event: 'ping', data: {} });
    } finally {
      await fallthrough(w.flag, 0);
    }
    for (const stream of [client, mobile]) expect((await stream.next()).event).toBe('ping');
    client.close();
    mobile.close();
    const refused = await openStream(`${s.url}/mping`);
    expect(refused.status).toBe(401);
    refused.close();
    const unknown = await openStream(`${s.url}/ping/000000000000000000000000`);
    expect(unknown.status).toBe(404);
    unknown.close();
  });

  it('s.app.clientStreams.connections counts the open streams, and drops to 0 when they close', async () => {
    expect(s.app.clientStreams.connections).toBe(0);
    const a = await openStream(evalUrl({ kind: 'user', key: 'a' }));
    const b = await openStream(`${s.url}/eval/${envId}`, { method: 'REPORT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'user', key: 'b' }) });
    const c = await openStream(`${s.url}/meval/${b64({ kind: 'user', key: 'c' })}`, { headers: { authorization: mobileKey } });
    for (const stream of [a, b, c]) await stream.next();
    expect(s.app.clientStreams.connections).toBe(3);
    // The server-side SDKs' streams are counted apart.
    expect(s.app.sdkStreams.connections).toBe(0);
    a.close();
    await vi.waitFor(() => expect(s.app.clientStreams.connections).toBe(2));
    b.close();
    c.close();
    await vi.waitFor(() => expect(s.app.clientStreams.connections).toBe(0));
    // A new stream after they all closed is fed as before.
    const d = await openStream(evalUrl({ kind: 'user', key: 'd' }));
    expect((await d.next()).event).toBe('put');
    expect(s.app.clientStreams.connections).toBe(1);
  });
});
