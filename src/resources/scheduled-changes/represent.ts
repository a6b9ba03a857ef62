// The FeatureFlagScheduledChange and FeatureFlagScheduledChanges representations: the only code that builds
// scheduled-change JSON.
import { link } from '../../http/links.js';
import type { FlagPlace } from '../flags/inEnvironment.js';
import { conflictsOf, scheduledChangeDoc, type ScheduledChangeRow } from './model.js';

export function schedulesPath(place: FlagPlace): string {
  return `/api/v2/projects/${place.projectKey}/flags/${place.flagKey}/environments/${place.environmentKey}/scheduled-changes`;
}

/** The schedule; `conflicts` lists the other schedules of `siblings` (the same flag and environment) it conflicts with. */
export function representScheduledChange(row: ScheduledChangeRow, place: FlagPlace, siblings: ScheduledChangeRow[]): Record<string, unknown> {
  const doc = scheduledChangeDoc(row);
  const conflicts = conflictsOf(
    doc.instructions,
    siblings.filter((s) => s.id !== row.id),
  );
  return {
    _id: row.id,
    _creationDate: Number(row.created_at),
    _maintainerId: doc.maintainerId,
    ...(doc.maintainerServiceTokenId !== undefined ? { _maintainerServiceTokenId: doc.maintainerServiceTokenId } : {}),
    _version: doc.version,
    executionDate: Number(row.execution_date),
    instructions: doc.instructions,
    ...(conflicts.length > 0 ? { conflicts } : {}),
    _links: { parent: link(schedulesPath(place)), self: link(`${schedulesPath(place)}/${row.id}`) },
  };
}
