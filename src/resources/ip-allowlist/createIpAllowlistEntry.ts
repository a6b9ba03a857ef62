// POST /api/v2/account/ip-allowlist (beta) — add an IPv4 or IPv6 address or CIDR block to the allowlist (admins only):
// 201 with the entry. An address that is not one is a 400 naming ipAddress; a block already listed (in any spelling)
// is a 409.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict, validationFailed } from '../../http/errors.js';
import { uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { blockKey, CreateIpAllowlistEntryRequest, listEntries, lockConfig, parseBlock, type IpAllowlistEntryDoc, type IpAllowlistEntryRow } from './model.js';
import { allowlistAudit, IP_ALLOWLIST_PATH, representEntry } from './represent.js';

export function createIpAllowlistEntry(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: CreateIpAllowlistEntryRequest }>(IP_ALLOWLIST_PATH, { config: { role: 'admin', beta: true }, schema: { body: CreateIpAllowlistEntryRequest } }, async (request, reply) => {
    const body = request.body;
    const block = parseBlock(body.ipAddress);
    if ('attribute' in block) throw validationFailed([block]);
    const now = deps.now();
    const doc: IpAllowlistEntryDoc = {
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(request.actor ? { createdByMemberId: request.actor.memberId } : {}),
    };
    const row: IpAllowlistEntryRow = { id: uuid(), ip_address: body.ipAddress, doc: JSON.stringify(doc), created_at: now, updated_at: now };
    await deps.store.tx(async (trx) => {
      await lockConfig(trx, deps.store, now);
      const same = (await listEntries(trx)).find((entry) => {
        const other = parseBlock(entry.ip_address);
        return !('attribute' in other) && blockKey(other) === blockKey(block);
      });
      if (same) throw conflict(`ipAddress: "${body.ipAddress}" is already in the allowlist (entry "${same.id}", ${same.ip_address})`);
      await trx.insertInto('ip_allowlist_entries').values(row).execute();
      await recordAudit(trx, request.actor, now, allowlistAudit(row.id, 'createIpAllowlistEntry', row.ip_address, `added ${row.ip_address} to the IP allowlist`, { after: representEntry(row) }));
    });
    deps.changed({ kind: 'ip-allowlist' });
    return reply.code(201).send(representEntry(row));
  });
}
