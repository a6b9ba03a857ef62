// DELETE /api/v2/tokens/{id} — revoke an access token (admin); it stops working at once.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { lockToken, tokenResource, type TokenDoc } from './tokens.js';

export function deleteToken(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { id: string } }>('/api/v2/tokens/:id', { config: { role: 'admin' } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      // Locked: of concurrent revokes, the ones that waited find the token gone (a 404, no second audit entry).
      const row = await lockToken(trx, deps.store, request.params.id);
      await trx.deleteFrom('tokens').where('id', '=', row.id).execute();
      const name = (JSON.parse(row.doc) as TokenDoc).name ?? row.id;
      await recordAudit(trx, request.actor, now, {
        kind: 'token',
        resource: tokenResource(row),
        action: 'deleteAccessToken',
        name,
        description: `deleted the access token ${name}`,
      });
    });
    deps.changed({ kind: 'token', id: request.params.id });
    return reply.code(204).send();
  });
}
