// DELETE /api/v2/account/ip-allowlist/{id} (beta) — remove an entry (admins only): 204, enforced at once on every
// instance. While the allowlist is enforced, deleting the last entry that includes the caller's own address is a 409.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { callerAddress, refuseLockout } from './lockout.js';
import { findEntry, listEntries, lockConfig } from './model.js';
import { allowlistAudit, IP_ALLOWLIST_PATH, representEntry } from './represent.js';

export function deleteIpAllowlistEntry(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { id: string } }>(`${IP_ALLOWLIST_PATH}/:id`, { config: { role: 'admin', beta: true } }, async (request, reply) => {
    const now = deps.now();
    const address = callerAddress(request);
    await deps.store.tx(async (trx) => {
      const config = await lockConfig(trx, deps.store, now);
      const row = await findEntry(trx, request.params.id);
      const remaining = (await listEntries(trx)).filter((entry) => entry.id !== row.id).map((entry) => entry.ip_address);
      refuseLockout(config.apiTokenAllowlistEnabled, remaining, address, `Deleting the IP allowlist entry "${row.id}" (${row.ip_address}) while the allowlist is enabled for access tokens`);
      await trx.deleteFrom('ip_allowlist_entries').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, allowlistAudit(row.id, 'deleteIpAllowlistEntry', row.ip_address, `removed ${row.ip_address} from the IP allowlist`, { before: representEntry(row) }));
    });
    deps.changed({ kind: 'ip-allowlist' });
    return reply.code(204).send();
  });
}
