// The ceiling peer: bare Fastify, no logger, no hooks. Each route parses the JSON body it is sent (Fastify's own
// parser) and answers with a stored response of the same size and status that iterlab gave for that request.
// Usage: PORT=n node --import tsx bench/ceiling.ts routes.json   (routes.json: [{method, url, status, body}])
import fs from 'node:fs';
import Fastify from 'fastify';

interface StoredRoute {
  method: string;
  /** A Fastify route pattern. */
  url: string;
  status: number;
  body: string;
}

const routes = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as StoredRoute[];
const app = Fastify({ logger: false });
app.get('/', async () => ({ ok: true }));
for (const route of routes) {
  app.route({
    method: route.method as 'GET',
    url: route.url,
    handler: async (_request, reply) => reply.code(route.status).type('application/json; charset=utf-8').send(route.body),
  });
}
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void app.close().then(() => process.exit(0)));
