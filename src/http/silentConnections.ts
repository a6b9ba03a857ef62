// Connections that have not sent a request are ended when the server closes. Node's closeIdleConnections (Fastify's
// forceCloseConnections: 'idle', and the shutdown's loop in main.ts) passes over a connection until its first request,
// so one opened and left silent held close() until the headers timeout (REQUEST_TIMEOUT_MS, 30 s by default): a
// client's spare pooled connection (undici opens one as a stream is aborted), a load balancer's TCP check. A
// connection that has sent a request is idle or in flight, which Node and the grace period already handle.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export function endSilentConnectionsOnClose(app: FastifyInstance): void {
  const server: Server = app.server;
  const silent = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    silent.add(socket);
    socket.once('close', () => silent.delete(socket));
  });
  server.on('request', (request: IncomingMessage) => silent.delete(request.socket));
  // Ended as the server stops listening, not before (in a preClose hook): a connection that came in between would be
  // left, and one does, when a client aborts a stream just before the server is closed.
  const close = server.close.bind(server);
  server.close = (callback?: (err?: Error) => void) => {
    close(callback);
    for (const socket of silent) socket.destroy();
    silent.clear();
    return server;
  };
}
