// IntegrationDeliveryConfiguration and its collection (the only code that builds delivery configuration JSON), and
// the audit entry of each change to one. Secrets are masked in both, as audit log subscriptions' are.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { integrationAudit } from '../integrations/audit.js';
import { environmentIntegrationRep, type EnvironmentScope } from '../integrations/represent.js';
import { deliveryDoc, findDeliveryForm, type DeliveryRow } from './model.js';

export const DELIVERY_PATH = '/api/v2/integration-capabilities/featureStore';

export type DeliveryScope = EnvironmentScope;

export function environmentPath(scope: DeliveryScope): string {
  return `${DELIVERY_PATH}/${encodeURIComponent(scope.projectKey)}/${encodeURIComponent(scope.environmentKey)}`;
}

export function representDelivery(row: DeliveryRow, scope: DeliveryScope): Record<string, unknown> {
  return environmentIntegrationRep(row, deliveryDoc(row), scope, findDeliveryForm(row.integration_key), {
    self: `${environmentPath(scope)}/${encodeURIComponent(row.integration_key)}/${encodeURIComponent(row.id)}`,
    parent: DELIVERY_PATH,
  });
}

export function representDeliveries(self: string, items: { row: DeliveryRow; scope: DeliveryScope }[]): Record<string, unknown> {
  return { _links: { self: link(self), ...(self !== DELIVERY_PATH ? { parent: link(DELIVERY_PATH) } : {}) }, items: items.map(({ row, scope }) => representDelivery(row, scope)) };
}

/** The entry for `action` on the configuration, with it before and after as shown (secrets masked). */
export function deliveryAudit(
  row: DeliveryRow,
  scope: DeliveryScope,
  action: string,
  verb: string,
  versions: { before?: DeliveryRow; after?: DeliveryRow },
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  const { name } = deliveryDoc(row);
  const description = `${verb} the ${row.integration_key} delivery configuration ${name} of ${scope.projectKey}/${scope.environmentKey}`;
  return integrationAudit(row, { action, name, description, projectKey: scope.projectKey }, (shown) => representDelivery(shown, scope), versions, extra);
}
