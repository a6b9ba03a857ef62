// A trigger as the audit log keeps it: its doc and id, without the calls' bodies (its URL's secret is never kept).
import { triggerDoc, type FlagTriggerRow } from './model.js';

export function auditedTrigger(row: FlagTriggerRow): Record<string, unknown> {
  const { recentTriggerBodies: _bodies, ...doc } = triggerDoc(row);
  return { _id: row.id, ...doc };
}
