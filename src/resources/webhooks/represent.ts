// The Webhook and Webhooks representations: the only code that builds webhook JSON.
import type { Actor } from '../../http/context.js';
import { link } from '../../http/links.js';
import { decide } from '../custom-roles/policy.js';
import type { AuditEntry } from '../audit-log/record.js';
import { webhookDoc, type WebhookRow } from './model.js';

export const WEBHOOKS_PATH = '/api/v2/webhooks';

/**
 * Whether the caller sees a webhook's secret: only one who may change it (an admin token, or custom roles that allow
 * `updateSecret` on it), since whoever holds it can forge the webhook's payloads.
 */
export function seesSecret(actor: Actor | undefined, webhookId: string): boolean {
  if (!actor) return false;
  if (actor.policy) return decide(actor.policy, { resource: [{ type: 'webhook', key: webhookId }], action: 'updateSecret' }) === 'allow';
  return actor.role === 'admin';
}

/** The audit entry of a change to a webhook: named by its name (else its URL), with it before and after, never its secret. */
export function webhookAudit(row: WebhookRow, action: string, verb: string, versions: { before?: WebhookRow; after?: WebhookRow }, extra: Partial<AuditEntry> = {}): AuditEntry {
  const doc = webhookDoc(row);
  const name = doc.name ?? doc.url;
  return {
    kind: 'webhook',
    resource: `webhook/${row.id}`,
    action,
    name,
    description: `${verb} the webhook ${name}`,
    ...extra,
    ...(versions.before ? { before: representWebhook(versions.before, false) } : {}),
    ...(versions.after ? { after: representWebhook(versions.after, false) } : {}),
  };
}

/** The Webhook; `secret` only when it is signed and `showSecret`, `statements` only when it has some. */
export function representWebhook(row: WebhookRow, showSecret: boolean): Record<string, unknown> {
  const doc = webhookDoc(row);
  return {
    _links: { parent: link(WEBHOOKS_PATH), self: link(`${WEBHOOKS_PATH}/${row.id}`) },
    _id: row.id,
    ...(doc.name !== undefined ? { name: doc.name } : {}),
    url: doc.url,
    ...(doc.secret !== undefined && showSecret ? { secret: doc.secret } : {}),
    ...(doc.statements !== undefined ? { statements: doc.statements } : {}),
    on: row.enabled === 1,
    tags: doc.tags,
  };
}
