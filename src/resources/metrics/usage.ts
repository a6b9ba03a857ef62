// Which experiments use a metric or a metric group, read from the references the experiments slice writes.
import type { Db, Trx } from '../../store/db.js';
import { link } from '../../http/links.js';
import type { MetricGroupDoc } from './model.js';

/** `experiment_refs.kind` for a metric used directly, and for a metric group. */
export type RefKind = 'metric' | 'metric-group';

export interface ExperimentUse {
  experimentId: string;
  key: string;
  name: string;
  environmentId: string;
  environmentKey: string;
  createdAt: number;
  archivedDate: number | null;
  /** The experiment's status (that of its current iteration). */
  status: string;
  /** Whether an iteration that references this key is running now. */
  running: boolean;
}

/** Every reference of the given kind in the project, as (key -> experiments using it), one entry per experiment. */
export async function usesByKey(db: Db | Trx, projectId: string, kind: RefKind, keys?: string[]): Promise<Map<string, ExperimentUse[]>> {
  const out = new Map<string, ExperimentUse[]>();
  if (keys !== undefined && keys.length === 0) return out;
  let query = db
    .selectFrom('experiment_refs as r')
    .innerJoin('experiments as e', 'e.id', 'r.experiment_id')
    .innerJoin('environments as env', 'env.id', 'e.environment_id')
    .innerJoin('iterations as i', 'i.id', 'r.iteration_id')
    .select([
      'r.key as refKey',
      'e.id as experimentId',
      'e.key as key',
      'e.name as name',
      'e.environment_id as environmentId',
      'env.key as environmentKey',
      'e.created_at as createdAt',
      'e.archived_date as archivedDate',
      'e.status as status',
      'i.status as iterationStatus',
    ])
    .where('e.project_id', '=', projectId)
    .where('r.kind', '=', kind);
  if (keys !== undefined) query = query.where('r.key', 'in', keys);
  for (const row of await query.execute()) {
    const list = out.get(row.refKey) ?? [];
    let use = list.find((u) => u.experimentId === row.experimentId);
    if (!use) {
      const { refKey: _key, iterationStatus: _status, ...fields } = row;
      use = { ...fields, running: false };
      list.push(use);
      out.set(row.refKey, list);
    }
    if (row.iterationStatus === 'running') use.running = true;
  }
  for (const list of out.values()) list.sort((a, b) => a.createdAt - b.createdAt || a.key.localeCompare(b.key));
  return out;
}

/**
 * Reads, in two queries, which experiments use the given metrics (all of the project's when `metricKeys` is absent),
 * directly or through one of `groups`; returns a lookup by metric key.
 */
export async function metricUsage(
  db: Db | Trx,
  projectId: string,
  groups: { key: string; doc: MetricGroupDoc }[],
  metricKeys?: string[],
): Promise<(metricKey: string) => ExperimentUse[]> {
  const direct = await usesByKey(db, projectId, 'metric', metricKeys);
  const viaGroups = await usesByKey(db, projectId, 'metric-group', groups.map((g) => g.key));
  return (metricKey) => experimentsUsingMetric(metricKey, direct, viaGroups, groups);
}

/** The experiments that use a metric, directly or through a metric group that contains it, once each. */
function experimentsUsingMetric(
  metricKey: string,
  direct: Map<string, ExperimentUse[]>,
  viaGroups: Map<string, ExperimentUse[]>,
  groups: { key: string; doc: MetricGroupDoc }[],
): ExperimentUse[] {
  const byId = new Map<string, ExperimentUse>();
  const add = (use: ExperimentUse) => {
    const seen = byId.get(use.experimentId);
    if (!seen) byId.set(use.experimentId, { ...use });
    else if (use.running) seen.running = true;
  };
  for (const use of direct.get(metricKey) ?? []) add(use);
  for (const group of groups) {
    if (group.doc.metrics.some((m) => m.key === metricKey)) for (const use of viaGroups.get(group.key) ?? []) add(use);
  }
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.key.localeCompare(b.key));
}

/** DependentExperimentRep. */
export function dependentExperimentRep(projectKey: string, use: ExperimentUse): Record<string, unknown> {
  const parent = `/api/v2/projects/${projectKey}/environments/${use.environmentKey}`;
  return {
    key: use.key,
    name: use.name,
    environmentId: use.environmentId,
    environmentKey: use.environmentKey,
    creationDate: use.createdAt,
    ...(use.archivedDate !== null ? { archivedDate: use.archivedDate } : {}),
    _links: { parent: link(parent), self: link(`${parent}/experiments/${use.key}`) },
  };
}

/** `"exp" (production)` for messages. */
export function describeUses(uses: ExperimentUse[]): string {
  return uses.map((u) => `"${u.key}" (environment ${u.environmentKey})`).join(', ');
}
