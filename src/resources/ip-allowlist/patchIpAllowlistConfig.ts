// PATCH /api/v2/account/ip-allowlist (beta) — turn the allowlist on or off for access tokens (apiTokenAllowlistEnabled,
// enforced at the edge) and for browser sessions (sessionAllowlistEnabled, kept and shown: iterlab has no sessions).
// Turning token enforcement on from an address no entry includes is a 409. 200 with the allowlist.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { callerAddress, refuseLockout } from './lockout.js';
import { listEntries, lockConfig, PatchIpAllowlistConfigRequest, writeConfig, type IpAllowlistConfig } from './model.js';
import { allowlistAudit, IP_ALLOWLIST_PATH, representAllowlist } from './represent.js';

export function patchIpAllowlistConfig(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Body: PatchIpAllowlistConfigRequest }>(IP_ALLOWLIST_PATH, { config: { role: 'admin', beta: true }, schema: { body: PatchIpAllowlistConfigRequest } }, async (request) => {
    const body = request.body;
    const now = deps.now();
    const address = callerAddress(request);
    const result = await deps.store.tx(async (trx) => {
      const before = await lockConfig(trx, deps.store, now);
      const rows = await listEntries(trx);
      const after: IpAllowlistConfig = {
        sessionAllowlistEnabled: body.sessionAllowlistEnabled ?? before.sessionAllowlistEnabled,
        apiTokenAllowlistEnabled: body.apiTokenAllowlistEnabled ?? before.apiTokenAllowlistEnabled,
      };
      if (after.sessionAllowlistEnabled === before.sessionAllowlistEnabled && after.apiTokenAllowlistEnabled === before.apiTokenAllowlistEnabled) {
        return { config: before, rows, changed: false };
      }
      refuseLockout(after.apiTokenAllowlistEnabled && !before.apiTokenAllowlistEnabled, rows.map((row) => row.ip_address), address, 'apiTokenAllowlistEnabled: enabling the allowlist for access tokens');
      await writeConfig(trx, after, now);
      await recordAudit(trx, request.actor, now, allowlistAudit('settings', 'updateIpAllowlistEnabled', 'IP allowlist', 'updated the IP allowlist settings', { delta: body, before, after }));
      return { config: after, rows, changed: true };
    });
    if (result.changed) deps.changed({ kind: 'ip-allowlist' });
    return representAllowlist(result.config, result.rows);
  });
}
