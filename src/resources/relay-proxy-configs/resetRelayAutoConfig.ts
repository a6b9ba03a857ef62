// POST /api/v2/account/relay-auto-configs/{id}/reset — a new key for a Relay Proxy configuration (admin): 200 with
// the new full key. The old key works until `expiry` (Unix ms), or stops at once without it; a key reset before is
// then forgotten. Relay Proxies streaming with a key that stopped working are cut off.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseEpochMillisParam } from '../../http/filter.js';
import { refuseBody } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { hashToken } from '../tokens/tokens.js';
import { findRelayAutoConfig, mintRelayKey, relayDoc, type RelayAutoConfigRow } from './model.js';
import { findMember } from '../members/members.js';
import { relayAudit, representRelayAutoConfig } from './represent.js';

export function resetRelayAutoConfig(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { id: string } }>('/api/v2/account/relay-auto-configs/:id/reset', { config: { role: 'admin', noBody: true } }, async (request) => {
    refuseBody(request.body);
    const expiry = parseEpochMillisParam((request.query as Record<string, unknown>).expiry, 'expiry');
    const now = deps.now();
    const key = mintRelayKey();
    const rep = await deps.store.tx(async (trx) => {
      const row = await findRelayAutoConfig(trx, request.params.id, deps.store);
      const keepOld = expiry !== undefined && expiry > now;
      const next: RelayAutoConfigRow = {
        ...row,
        key_hash: hashToken(key),
        old_key_hash: keepOld ? row.key_hash : null,
        old_key_expires_at: keepOld ? expiry : null,
        doc: JSON.stringify({ ...relayDoc(row), displayKey: key.slice(-4) }),
        last_modified: now,
      };
      const { id: _id, ...changes } = next;
      await trx.updateTable('relay_auto_configs').set(changes).where('id', '=', row.id).execute();
      const creatorId = relayDoc(row).creatorId;
      const creator = creatorId ? await findMember(trx, creatorId) : undefined;
      const shown = representRelayAutoConfig(next, creator, key);
      const { fullKey: _key, ...after } = shown;
      const before = representRelayAutoConfig(row, creator);
      await recordAudit(trx, request.actor, now, relayAudit(next, 'resetRelayAutoConfiguration', 'reset the key of', { before, after }));
      return shown;
    });
    deps.changed({ kind: 'relay-auto-config', id: request.params.id });
    return rep;
  });
}
