// GET /api/v2/public-ip-list — the addresses a firewall should let through. LaunchDarkly lists its service's ranges;
// a self-hosted iterlab has only the addresses it is deployed at, which it cannot know, and sends no webhooks, so
// both lists are empty. Open without a token, as LaunchDarkly's is.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';

export function getIps(app: FastifyInstance, _deps: Deps): void {
  app.get('/api/v2/public-ip-list', { config: { public: true } }, async () => ({ addresses: [], outboundAddresses: [] }));
}
