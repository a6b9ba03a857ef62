// A schedule as the audit log keeps it: its id, date and doc.
import { scheduledChangeDoc, type ScheduledChangeRow } from './model.js';

export function auditedSchedule(row: ScheduledChangeRow): Record<string, unknown> {
  return { _id: row.id, executionDate: Number(row.execution_date), ...scheduledChangeDoc(row) };
}
