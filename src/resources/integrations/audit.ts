// The audit entry of a change to one of an integration's records (an audit log subscription, an integration
// configuration, a delivery configuration, a flag import configuration, a big segment store): kind `integration`, the
// record's resource, and the record before and after as its slice shows it (secrets masked).
import type { AuditEntry } from '../audit-log/record.js';
import { subscriptionResource } from '../audit-log-subscriptions/model.js';

/** A stored record of an integration: its integration's key and its own id name its resource. */
export interface IntegrationRecord {
  integration_key: string;
  id: string;
}

export function integrationAudit<R extends IntegrationRecord>(
  row: R,
  entry: { action: string; name: string; description: string; projectKey?: string },
  show: (row: R) => unknown,
  versions: { before?: R; after?: R },
  extra: Partial<AuditEntry>,
): AuditEntry {
  return {
    kind: 'integration',
    resource: subscriptionResource(row.integration_key, row.id),
    action: entry.action,
    name: entry.name,
    description: entry.description,
    ...(entry.projectKey !== undefined ? { projectKey: entry.projectKey } : {}),
    ...extra,
    ...(versions.before ? { before: show(versions.before) } : {}),
    ...(versions.after ? { after: show(versions.after) } : {}),
  };
}
