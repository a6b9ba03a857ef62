// Which experiments use a metric or a metric group, read from the references the experiments slice writes.
import type { Db, Trx } from '../../store/db.js';
import { link } from '../../http/links.js';
import { GROUP_METRIC_REF } from '../experiments/model.js';

/**
 * `experiment_refs.kind` for a metric an iteration lists, for a metric group it lists, and for a metric it measures as a
 * member of a group it lists (by the members the iteration recorded).
 */
export type RefKind = 'metric' | 'metric-group' | typeof GROUP_METRIC_REF;

/** The references by which an iteration uses a metric: listed itself, or measured through a group it lists. */
const METRIC_USE: RefKind[] = ['metric', GROUP_METRIC_REF];

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
  /** When the latest iteration that references this key started, or was made if it has not started. */
  lastUsedAt: number;
}

/** Every reference of the given kinds in the project, as (key -> experiments using it), one entry per experiment. */
export async function usesByKey(db: Db | Trx, projectId: string, kinds: RefKind | RefKind[], keys?: string[]): Promise<Map<string, ExperimentUse[]>> {
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
      'i.started_at as iterationStartedAt',
      'i.created_at as iterationCreatedAt',
    ])
    .where('e.project_id', '=', projectId)
    .where('r.kind', 'in', Array.isArray(kinds) ? kinds : [kinds]);
  if (keys !== undefined) query = query.where('r.key', 'in', keys);
  for (const row of await query.execute()) {
    const list = out.get(row.refKey) ?? [];
    const usedAt = row.iterationStartedAt ?? row.iterationCreatedAt;
    let use = list.find((u) => u.experimentId === row.experimentId);
    if (!use) {
      const { refKey: _key, iterationStatus: _status, iterationStartedAt: _started, iterationCreatedAt: _created, ...fields } = row;
      use = { ...fields, running: false, lastUsedAt: usedAt };
      list.push(use);
      out.set(row.refKey, list);
    }
    if (row.iterationStatus === 'running') use.running = true;
    if (usedAt > use.lastUsedAt) use.lastUsedAt = usedAt;
  }
  for (const list of out.values()) list.sort((a, b) => a.createdAt - b.createdAt || a.key.localeCompare(b.key));
  return out;
}

/**
 * Which experiments use the given metrics (all of the project's when `metricKeys` is absent): those whose iterations list
 * a metric, or measure it through a metric group they list, by the members each iteration recorded when it was made, as
 * its results read them (a later change to the group neither adds nor removes an experiment). One query.
 */
export async function metricUsage(db: Db | Trx, projectId: string, metricKeys?: string[]): Promise<(metricKey: string) => ExperimentUse[]> {
  const uses = await usesByKey(db, projectId, METRIC_USE, metricKeys);
  return (metricKey) => uses.get(metricKey) ?? [];
}

/**
 * MetricRep's `lastUsedInExperiment`, "the most recent experiment that used this metric": one that measures it now (a
 * running iteration) before any other, else the one whose latest iteration using it started (or, not started, was made)
 * last; ties by the later experiment, then key. Undefined when no experiment uses it.
 */
export function lastUsedIn(uses: ExperimentUse[]): ExperimentUse | undefined {
  const recency = (a: ExperimentUse, b: ExperimentUse) =>
    Number(a.running) - Number(b.running) || a.lastUsedAt - b.lastUsedAt || a.createdAt - b.createdAt || a.key.localeCompare(b.key);
  return uses.reduce<ExperimentUse | undefined>((last, use) => (last === undefined || recency(use, last) > 0 ? use : last), undefined);
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
