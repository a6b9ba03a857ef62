// The audit entry of a change to a flag's schedule: on the flag in the schedule's environment, with the schedule
// before and after.
import type { AuditEntry } from '../audit-log/record.js';
import { scheduledChangeDoc, type ScheduledChangeRow } from './model.js';
import type { SchedulePlace } from './represent.js';

function audited(row: ScheduledChangeRow): Record<string, unknown> {
  return { _id: row.id, executionDate: Number(row.execution_date), ...scheduledChangeDoc(row) };
}

export function scheduleAudit(place: SchedulePlace, flagName: string, action: string, description: string, versions: { before?: ScheduledChangeRow; after?: ScheduledChangeRow }, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    kind: 'flag',
    resource: `proj/${place.projectKey}:env/${place.environmentKey}:flag/${place.flagKey}`,
    action,
    name: flagName,
    description,
    projectKey: place.projectKey,
    ...extra,
    ...(versions.before ? { before: audited(versions.before) } : {}),
    ...(versions.after ? { after: audited(versions.after) } : {}),
  };
}
