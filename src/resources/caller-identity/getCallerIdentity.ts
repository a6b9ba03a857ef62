// GET /api/v2/caller-identity — who the calling token is: account, token, member, service token or not, scopes.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';

export function getCallerIdentity(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/caller-identity', async (request) => {
    const actor = request.actor!;
    return {
      accountId: deps.accountId,
      authKind: 'token',
      tokenKind: actor.serviceToken ? 'service' : 'personal',
      tokenId: actor.tokenId,
      ...(actor.tokenName !== undefined ? { tokenName: actor.tokenName } : {}),
      memberId: actor.memberId,
      serviceToken: actor.serviceToken,
      // The spec's security scheme names two scopes, read and write; a reader token holds only the first, and a
      // custom-role token the second only when some statement allows something.
      scopes: (actor.policy ? actor.policy.roles.some((role) => role.statements.some((s) => s.effect === 'allow')) : actor.role !== 'reader') ? ['read', 'write'] : ['read'],
    };
  });
}
