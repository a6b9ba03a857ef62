// Requests to the SDKs' streaming routes (GET /all; GET and REPORT /eval and /meval), over real HTTP: their event
// streams never end by themselves, so the in-process inject (which waits for the end) cannot read them. A stream is
// read up to its first event and then closed by the client, as an SDK that goes away would.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { RequestOptions, Response, TestServer } from './server.js';

export interface SseEvent {
  event: string;
  /** The event's data, parsed as JSON when it is JSON. */
  data: any;
}

export interface OpenedStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Whether the answer is an event stream (Content-Type text/event-stream). */
  isStream: boolean;
  /** A finite answer's body (JSON parsed), once it has ended; undefined for an event stream. */
  body: any;
  /** The events received so far (SSE comments left out). */
  events: SseEvent[];
  /** The n-th event (from 0), once it has come; rejects if the answer ends or `timeoutMs` passes first. */
  event(n?: number, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the server ends the answer (or the connection is lost). */
  ended: Promise<void>;
  /** Closes the connection from the client's side. */
  close(): void;
}

function parseEvents(text: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const [field, ...value] = line.split(':');
      const v = value.join(':').replace(/^ /, '');
      if (field === 'event') event = v;
      else if (field === 'data') data.push(v);
    }
    if (data.length === 0 && event === 'message') continue;
    const joined = data.join('\n');
    let parsed: unknown = joined;
    try {
      parsed = JSON.parse(joined);
    } catch {
      // not JSON: kept as text
    }
    events.push({ event, data: parsed });
  }
  return { events, rest };
}

/**
 * Opens `method path` on the listening server at `baseUrl`; resolves once the answer's headers have come (a
 * finite answer: once it has ended). The caller closes an event stream.
 */
export function openStream(baseUrl: string, method: string, path: string, options: { headers?: Record<string, string>; payload?: string } = {}): Promise<OpenedStream> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.payload !== undefined) headers['content-length'] = Buffer.byteLength(options.payload);
    const request = http.request({ host: url.hostname, port: url.port, method, path, headers, agent: false });
    request.on('error', reject);
    request.on('response', (res) => {
      const isStream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      let text = '';
      let pending = '';
      const events: SseEvent[] = [];
      const waiters: (() => void)[] = [];
      let done = false;
      const ended = new Promise<void>((resolveEnded) => {
        const finish = () => {
          if (done) return;
          done = true;
          for (const wake of waiters.splice(0)) wake();
          resolveEnded();
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (!isStream) return;
        const parsed = parseEvents(pending + chunk);
        pending = parsed.rest;
        events.push(...parsed.events);
        for (const wake of waiters.splice(0)) wake();
      });
      const opened: OpenedStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        isStream,
        body: undefined,
        events,
        ended,
        close: () => {
          request.destroy();
          res.destroy();
        },
        // 15 s: a bound against a hang, not a timing (5 s was missed under a load of 8 on 2 cores).
        event: (n = 0, timeoutMs = 15_000) =>
          new Promise<SseEvent>((resolveEvent, rejectEvent) => {
            const timer = setTimeout(() => rejectEvent(new Error(`${method} ${path}: no event #${n} within ${timeoutMs} ms`)), timeoutMs);
            const check = () => {
              if (events.length > n) {
                clearTimeout(timer);
                resolveEvent(events[n]);
              } else if (done) {
                clearTimeout(timer);
                rejectEvent(new Error(`${method} ${path}: the answer ended after ${events.length} events`));
              } else waiters.push(check);
            };
            check();
          }),
      };
      if (isStream) {
        resolve(opened);
        return;
      }
      void ended.then(() => {
        opened.body = text;
        if (text && String(res.headers['content-type'] ?? '').includes('json')) {
          try {
            opened.body = JSON.parse(text);
          } catch {
            // left as text: the caller reports it
          }
        }
        resolve(opened);
      });
    });
    request.end(options.payload);
  });
}

/**
 * A request as TestServer.request makes it (the admin token unless `token` says otherwise, a JSON body), sent over
 * real HTTP to `s` (started with listen: true). An event stream is read up to its first event and closed: `body` is
 * then that event ({event, data}), undefined if none came within `timeoutMs`.
 */
export async function streamRequest(s: TestServer, method: string, path: string, options: RequestOptions & { timeoutMs?: number } = {}): Promise<Response> {
  if (!s.url) throw new Error('streamRequest needs a server started with listen: true');
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? s.tokens.admin : options.token;
  if (token !== null) headers.authorization = token;
  const payload = options.raw !== undefined ? options.raw : options.body !== undefined ? JSON.stringify(options.body) : undefined;
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const opened = await openStream(s.url, method, path, { headers, payload });
  if (!opened.isStream) return { status: opened.status, headers: opened.headers, body: opened.body };
  try {
    // A stream that says nothing at first (a ping stream) costs this wait, so it stays short.
    const first = await opened.event(0, options.timeoutMs ?? 5_000).catch(() => undefined);
    return { status: opened.status, headers: opened.headers, body: first };
  } finally {
    opened.close();
  }
}

/** The SDK streams open on `s` (server-side, client-side, mobile and Relay Proxy): 0 once every stream a test opened is closed. */
export function openStreams(s: TestServer): number {
  return s.app.sdkStreams.connections + s.app.clientStreams.connections + s.app.relayStreams.connections;
}
