// A webhook receiver for tests: an HTTP server on a free local port that keeps every POST it gets (headers and the
// exact body) and answers each with the next status of a script (200 once the script runs out; 0: no answer at all,
// the request is held until the receiver closes).
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body's exact text, as the signature covers it. */
  text: string;
  /** The body parsed. */
  body: any;
}

export interface Receiver {
  /** The receiver's base URL; any path under it is received. */
  url: string;
  received: Received[];
  /** Statuses to answer the next requests with, in order. */
  answer(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const script: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', headers: req.headers, text, body: text ? JSON.parse(text) : undefined });
      const status = script.shift() ?? 200;
      if (status !== 0) res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (...statuses) => script.push(...statuses),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
