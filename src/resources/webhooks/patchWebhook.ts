// PATCH /api/v2/webhooks/{id} — a JSON Patch on a webhook's name, url, secret, statements, on and tags (admin).
// A secret set makes the webhook signed; one removed or set to "" (as Terraform sends for an unsigned webhook)
// makes it unsigned. 200 with the Webhook.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { findWebhook, READ_ONLY_WEBHOOK_FIELDS, WEBHOOK_FIELD_ACTIONS, webhookDoc, WRITABLE_WEBHOOK_FIELDS, type WebhookRow } from './model.js';
import { representWebhook, seesSecret, webhookAudit } from './represent.js';
import { webhookFromPatched } from './webhookInput.js';

const RULES = { writable: WRITABLE_WEBHOOK_FIELDS, readOnly: READ_ONLY_WEBHOOK_FIELDS };

export function patchWebhook(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { id: string } }>('/api/v2/webhooks/:id', { config: { role: 'admin' } }, async (request) => {
    const { ops, comment } = readPatchBody(request.body);
    refuseSecretSource(ops);
    const now = deps.now();
    const row = await deps.store.tx(async (trx) => {
      const row = await findWebhook(trx, request.params.id, deps.store);
      const patched = applyResourcePatch(representWebhook(row, true), ops, RULES);
      const { doc, on } = webhookFromPatched(Object.fromEntries(WRITABLE_WEBHOOK_FIELDS.filter((f) => patched[f] !== undefined).map((f) => [f, patched[f]])));
      const old = { ...webhookDoc(row), on: row.enabled === 1 };
      const changed = (Object.keys(WEBHOOK_FIELD_ACTIONS) as (keyof typeof WEBHOOK_FIELD_ACTIONS)[]).find((f) => !deepEqual({ ...doc, on }[f], old[f]));
      if (!changed) return row;
      const next: WebhookRow = { ...row, enabled: on ? 1 : 0, doc: JSON.stringify(doc), last_modified: now };
      await trx.updateTable('webhooks').set({ enabled: next.enabled, doc: next.doc, last_modified: now }).where('id', '=', row.id).execute();
      // The secret stays out of the audit log, which every token may read.
      const extra = { ...(comment !== undefined ? { comment } : {}), delta: redactSecret(ops) };
      await recordAudit(trx, request.actor, now, webhookAudit(next, WEBHOOK_FIELD_ACTIONS[changed], 'updated', { before: row, after: next }, extra));
      return next;
    });
    return representWebhook(row, seesSecret(request.actor, row.id));
  });
}

/**
 * A copy or move from the secret would put it where whoever may change that field (a custom role allowing only
 * updateName) could read it back, and into the audit log: refused.
 */
function refuseSecretSource(ops: unknown): void {
  if (!Array.isArray(ops)) return;
  ops.forEach((op: Record<string, unknown> | null, i) => {
    if (typeof op?.from === 'string' && (op.from === '/secret' || op.from.startsWith('/secret/'))) {
      throw validationFailed([{ attribute: `patch[${i}].from`, reason: 'the secret cannot be copied or moved; replace or remove /secret instead' }]);
    }
  });
}

/** The operations as the audit log keeps them: a secret's value replaced by a mark. */
function redactSecret(ops: unknown): unknown {
  if (!Array.isArray(ops)) return ops;
  return ops.map((op: Record<string, unknown>) => (typeof op?.path === 'string' && op.path.startsWith('/secret') && 'value' in op ? { ...op, value: '(secret)' } : op));
}
