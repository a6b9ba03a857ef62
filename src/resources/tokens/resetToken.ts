// POST /api/v2/tokens/{id}/reset — a new value for an access token (admin); the old value stops working at once.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseEpochMillisParam } from '../../http/filter.js';
import { refuseBody } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { refuseEscalation, type Grants } from './grants.js';
import { representToken } from './represent.js';
import { hashToken, lockToken, makerOf, mintToken, tokenResource, type TokenDoc, type TokenRow } from './tokens.js';

/**
 * Terraform's launchdarkly_access_token sends `expiry` as a JSON body (`{"expiry": <epoch ms>}`) rather than as the
 * spec's query parameter: that body is read as the parameter; any other body is refused.
 */
function readBodyExpiry(body: unknown): void {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).every((key) => key === 'expiry')) {
    parseEpochMillisParam((body as { expiry?: unknown }).expiry, 'expiry');
    return;
  }
  refuseBody(body);
}

export function resetToken(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { id: string } }>('/api/v2/tokens/:id/reset', { config: { role: 'admin', noBody: true } }, async (request) => {
    // `expiry` is accepted, but the old value is not kept alive until then (see docs/compatibility.md).
    readBodyExpiry(request.body);
    parseEpochMillisParam((request.query as Record<string, unknown>).expiry, 'expiry');
    const now = deps.now();
    const value = mintToken();
    const row = await deps.store.tx(async (trx) => {
      const old = await lockToken(trx, deps.store, request.params.id);
      const doc: TokenDoc = { ...(JSON.parse(old.doc) as TokenDoc), last4: value.slice(-4) };
      // The new value hands the caller whatever the token may do: a custom-role caller may reset only a token whose
      // grants it could have given (else resetting an admin token would be an escalation postToken refuses).
      refuseEscalation(request.actor, { role: old.role as Grants['role'], customRoleIds: doc.customRoleIds ?? [], inlineRole: doc.inlineRole ?? [] });
      const next: TokenRow = { ...old, hash: hashToken(value), doc: JSON.stringify(doc), last_modified: now };
      await trx.updateTable('tokens').set({ hash: next.hash, doc: next.doc, last_modified: now }).where('id', '=', old.id).execute();
      await recordAudit(trx, request.actor, now, {
        kind: 'token',
        resource: tokenResource(old),
        action: 'resetAccessToken',
        name: doc.name ?? old.id,
        description: `reset the access token ${doc.name ?? old.id}`,
      });
      return next;
    });
    deps.changed({ kind: 'token', id: row.id });
    return representToken(row, deps.accountId, value, undefined, await makerOf(deps.store.db, row));
  });
}
