// The audit entry of a change to a flag's trigger: on the flag in the trigger's environment, with the trigger (its
// URL's secret never) before and after.
import type { AuditEntry } from '../audit-log/record.js';
import { triggerDoc, type FlagTriggerRow } from './model.js';
import type { TriggerPlace } from './represent.js';

/** The trigger as the audit log keeps it: its doc and id, without the calls' bodies. */
function auditedTrigger(row: FlagTriggerRow): Record<string, unknown> {
  const { recentTriggerBodies: _bodies, ...doc } = triggerDoc(row);
  return { _id: row.id, ...doc };
}

export function triggerAudit(place: TriggerPlace, flagName: string, row: FlagTriggerRow, action: string, description: string, versions: { before?: FlagTriggerRow; after?: FlagTriggerRow }, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    kind: 'flag',
    resource: `proj/${place.projectKey}:env/${place.environmentKey}:flag/${place.flagKey}`,
    action,
    name: flagName,
    description,
    projectKey: place.projectKey,
    ...extra,
    ...(versions.before ? { before: auditedTrigger(versions.before) } : {}),
    ...(versions.after ? { after: auditedTrigger(versions.after) } : {}),
  };
}
