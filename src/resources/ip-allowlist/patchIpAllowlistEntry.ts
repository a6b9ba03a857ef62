// PATCH /api/v2/account/ip-allowlist/{id} (beta) — change an entry's description, the only thing about it that can
// change (admins only): 200 with the entry. Its address cannot change: delete the entry and create another.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { entryDoc, findEntry, lockConfig, PatchIpAllowlistEntryRequest, type IpAllowlistEntryRow } from './model.js';
import { allowlistAudit, IP_ALLOWLIST_PATH, representEntry } from './represent.js';

export function patchIpAllowlistEntry(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { id: string }; Body: PatchIpAllowlistEntryRequest }>(
    `${IP_ALLOWLIST_PATH}/:id`,
    { config: { role: 'admin', beta: true }, schema: { body: PatchIpAllowlistEntryRequest } },
    async (request) => {
      const now = deps.now();
      return deps.store.tx(async (trx) => {
        await lockConfig(trx, deps.store, now);
        const row = await findEntry(trx, request.params.id);
        const doc = entryDoc(row);
        if (doc.description === request.body.description) return representEntry(row);
        const next: IpAllowlistEntryRow = { ...row, doc: JSON.stringify({ ...doc, description: request.body.description }), updated_at: now };
        await trx.updateTable('ip_allowlist_entries').set({ doc: next.doc, updated_at: now }).where('id', '=', row.id).execute();
        const after = representEntry(next);
        await recordAudit(trx, request.actor, now, allowlistAudit(row.id, 'updateIpAllowlistEntry', row.ip_address, `updated the IP allowlist entry ${row.ip_address}`, { delta: request.body, before: representEntry(row), after }));
        return after;
      });
    },
  );
}
