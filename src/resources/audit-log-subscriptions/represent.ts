// The Integration and Integrations representations (the only code that builds audit log subscription JSON), and the
// audit entry of each change to a subscription. Secrets are masked in both: whoever may read subscriptions or the
// audit log sees that a secret is set, never what it is.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { integrationAudit } from '../integrations/audit.js';
import { maskSecrets } from '../integrations/config.js';
import type { IntegrationForm } from '../integrations/manifests.js';
import { subscriptionDoc, type SubscriptionRow } from './model.js';

export function integrationPath(integrationKey: string): string {
  return `/api/v2/integrations/${encodeURIComponent(integrationKey)}`;
}

/** The Integration: `_status` counts nothing, since iterlab delivers to no integration (docs/compatibility.md). */
export function representSubscription(row: SubscriptionRow, form: IntegrationForm): Record<string, unknown> {
  const doc = subscriptionDoc(row);
  const parent = integrationPath(row.integration_key);
  return {
    _links: { self: link(`${parent}/${encodeURIComponent(row.id)}`), parent: link(parent) },
    _id: row.id,
    kind: row.integration_key,
    name: doc.name,
    config: maskSecrets(form, doc.config),
    statements: doc.statements,
    on: doc.on,
    tags: doc.tags,
    _status: { successCount: 0, errorCount: 0 },
  };
}

export function representSubscriptions(integrationKey: string, rows: readonly SubscriptionRow[], form: IntegrationForm): Record<string, unknown> {
  return { _links: { self: link(integrationPath(integrationKey)) }, items: rows.map((row) => representSubscription(row, form)), key: integrationKey };
}

/** The entry for `action` on the subscription, with it before and after as shown (secrets masked). */
export function subscriptionAudit(
  row: SubscriptionRow,
  form: IntegrationForm,
  action: string,
  verb: string,
  versions: { before?: SubscriptionRow; after?: SubscriptionRow },
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  const { name } = subscriptionDoc(row);
  const description = `${verb} the ${row.integration_key} audit log subscription ${name}`;
  return integrationAudit(row, { action, name, description }, (shown) => representSubscription(shown, form), versions, extra);
}
