// GET /api/v2/account — the account the calling token belongs to. Not in LaunchDarkly's spec, but served by it:
// ldcli's `config --set access-token …` checks a token with `HEAD /api/v2/account` (any status below 400 is valid).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';

export function getAccount(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/account', async () => ({
    _links: { self: link('/api/v2/account'), callerIdentity: link('/api/v2/caller-identity') },
    _id: deps.accountId,
  }));
}
