// DELETE /api/v2/account/relay-auto-configs/{id} — delete a Relay Proxy configuration (admin): 204. Relay Proxies
// streaming with its key are cut off, and refused when they connect again.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findRelayAutoConfig } from './model.js';
import { relayAudit, representRelayAutoConfigOf } from './represent.js';

export function deleteRelayAutoConfig(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { id: string } }>('/api/v2/account/relay-auto-configs/:id', { config: { role: 'admin' } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findRelayAutoConfig(trx, request.params.id, deps.store);
      await trx.deleteFrom('relay_auto_configs').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, relayAudit(row, 'deleteRelayAutoConfiguration', 'deleted', { before: await representRelayAutoConfigOf(trx, row) }));
    });
    deps.changed({ kind: 'relay-auto-config', id: request.params.id });
    return reply.code(204).send();
  });
}
