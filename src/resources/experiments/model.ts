// The stored shape of experiments and iterations, and the queries that load them.
import { sql } from 'kysely';
import type { Db, Store, Trx } from '../../store/db.js';
import { statement } from '../../store/statements.js';
import { notFound } from '../../http/errors.js';
import type { VariationOrRollout } from '../flags/model.js';

export type IterationStatus = 'not_started' | 'running' | 'stopped';

// The statuses the partial indexes `iterations_one_draft` / `iterations_one_running` hold, as SQL literals for
// queries on `iterations`. Bound as parameters instead, SQLite treats the plan as depending on the value and
// recompiles the statement at every execution (about 50 µs for the draft replacement of create iteration).
export const DRAFT_STATUS = sql.lit<IterationStatus>('not_started');
export const RUNNING_STATUS = sql.lit<IterationStatus>('running');

export interface AnalysisConfig {
  bayesianThreshold?: string;
  significanceThreshold?: string;
  testDirection?: string;
  multipleComparisonCorrectionMethod?: string;
  multipleComparisonCorrectionScope?: string;
  sequentialTestingEnabled?: boolean;
}

export interface ExperimentDoc {
  name: string;
  description?: string;
  maintainerId: string;
  holdoutId?: string;
  tags: string[];
  methodology: string;
  dataSource: string;
  type: string;
  analysisConfig?: AnalysisConfig;
  creationDate: number;
  archivedDate?: number;
}

export interface ExperimentRow {
  id: string;
  project_id: string;
  environment_id: string;
  key: string;
  name: string;
  doc: string;
  status: string;
  archived_date: number | null;
  created_at: number;
  /** The holdout the experiment is in (holdouts.id), if any. */
  holdout_id?: string | null;
}

export interface IterationFlag {
  ruleId: string;
  flagConfigVersion: number;
  notInExperimentVariationId: string;
  targetingRuleDescription?: string;
  targetingRuleClauses?: unknown[];
}

/** A metric or metric group as it was when the iteration was created (names, kinds, `_versionId`). */
export interface IterationMetric {
  key: string;
  isGroup: boolean;
  /** DependentMetricOrMetricGroupRep (for `metrics`). */
  dependent: Record<string, unknown>;
  /** MetricV2Rep for single metrics; DependentMetricGroupRepWithMetrics for groups. */
  detail: Record<string, unknown>;
}

export interface Treatment {
  _id: string;
  name: string;
  allocationPercent: string;
  baseline: boolean;
  parameters: { flagKey: string; variationId: string }[];
}

/** What starting an iteration did to one flag's targeting, kept so later iterations and stops can build on it. */
export interface IterationRollout {
  seed: number;
  /** The rule's variation or rollout before the experiment took it over. */
  previous: VariationOrRollout;
  /** The weighted variations written, in bucket order. */
  variations: { variation: number; weight: number; _untracked?: boolean }[];
}

/**
 * A running multi-armed bandit's traffic: the treatments' shares (allocationPercent, in the treatments' order: a
 * running iteration's treatments cannot change, while their ids can when the iteration is re-resolved) from each
 * `from` on, the first being those it started with, and when it is next reallocated.
 */
export interface BanditState {
  nextAt: number;
  allocations: { from: number; percents: string[] }[];
}

export interface IterationDoc {
  hypothesis: string;
  status: IterationStatus;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  winningTreatmentId?: string;
  winningReason?: string;
  canReshuffleTraffic: boolean;
  flags: Record<string, IterationFlag>;
  reallocationFrequencyMillis?: number;
  covariateId?: string;
  version: number;
  primarySingleMetricKey?: string;
  primaryFunnelKey?: string;
  metrics: IterationMetric[];
  treatments: Treatment[];
  randomizationUnit: string;
  attributes?: string[];
  layerSnapshot?: { key: string; name: string; reservationPercent: number; otherReservationPercent: number };
  /**
   * While it runs in a layer: the stretch of the layer's bucket space (thousandths of a percent from `offset`, `width`
   * wide) its tracked traffic takes; the layer's other running experiments take other stretches.
   */
  layerSlice?: { layerKey: string; offset: number; width: number };
  rollouts?: Record<string, IterationRollout>;
  /** Multi-armed bandits (experiment type `mab`), once started. */
  bandit?: BanditState;
}

/** `experiment_refs.kind` of a metric an iteration measures as a member of a metric group it lists. */
export const GROUP_METRIC_REF = 'group-metric';

/**
 * The keys of the metrics the iteration's metric groups held when it was made (its snapshot: a group's members may
 * change later), each once. Reads stored documents defensively: the migration that filled these references reads
 * every iteration stored before.
 */
export function groupMetricKeys(metrics: readonly IterationMetric[]): string[] {
  const keys = new Set<string>();
  for (const metric of metrics) {
    // The members as the results read them (results.ts, membersOf).
    if (metric.isGroup !== true || !Array.isArray(metric.detail?.metrics)) continue;
    for (const member of metric.detail.metrics as { key?: unknown }[]) if (typeof member?.key === 'string') keys.add(member.key);
  }
  return [...keys];
}

/**
 * The flags and metrics an iteration uses, as `experiment_refs` rows [kind, key]: its flags, the metrics and metric
 * groups it lists, and the metrics of those groups (GROUP_METRIC_REF), by which the lists' `metricKey` filter finds it.
 */
export function iterationRefs(doc: IterationDoc): [string, string][] {
  return [
    ...Object.keys(doc.flags).map((key): [string, string] => ['flag', key]),
    ...doc.metrics.map((m): [string, string] => [m.isGroup ? 'metric-group' : 'metric', m.key]),
    ...groupMetricKeys(doc.metrics).map((key): [string, string] => [GROUP_METRIC_REF, key]),
  ];
}

export interface IterationRow {
  id: string;
  experiment_id: string;
  status: string;
  doc: string;
  created_at: number;
  started_at: number | null;
}

export interface LoadedIteration {
  id: string;
  doc: IterationDoc;
}

const experimentByKey = statement<ExperimentRow>('select * from "experiments" where "environment_id" = ? and "key" = ?');
const experimentByKeyLocked = statement<ExperimentRow>('select * from "experiments" where "environment_id" = ? and "key" = ? for update');

export async function findExperiment(
  db: Db | Trx,
  store: Store,
  environmentId: string,
  key: string,
  context: { projectKey: string; environmentKey: string },
  lock = false,
): Promise<ExperimentRow> {
  const [row] = await (lock && store.kind === 'postgres' ? experimentByKeyLocked : experimentByKey).run(db, [environmentId, key]);
  if (!row) throw notFound(`Experiment "${key}" in project "${context.projectKey}", environment "${context.environmentKey}"`);
  return row;
}

/** Whether a stored experiment document is a multi-armed bandit's, without parsing it (as isHoldoutBase reads a holdout's). */
export function isBanditDoc(experimentDoc: string): boolean {
  return experimentDoc.includes('"type":"mab"');
}

export function parseIteration(row: { id: string; doc: string }): LoadedIteration {
  return { id: row.id, doc: JSON.parse(row.doc) as IterationDoc };
}

/** The iterations an experiment representation needs, by role. */
export interface ExperimentIterations {
  /** The latest started iteration, or the draft when none has started. */
  current: LoadedIteration | undefined;
  draft: LoadedIteration | undefined;
  /** Started iterations before the current one, newest first. */
  previous: LoadedIteration[];
}

export function arrangeIterations(rows: IterationRow[]): ExperimentIterations {
  const draftRow = rows.find((row) => row.status === 'not_started');
  const started = rows
    .filter((row) => row.status !== 'not_started')
    .sort((a, b) => (b.started_at ?? 0) - (a.started_at ?? 0) || b.created_at - a.created_at || (a.id < b.id ? 1 : -1));
  const draft = draftRow ? parseIteration(draftRow) : undefined;
  const current = started.length > 0 ? parseIteration(started[0]) : draft;
  return { current, draft, previous: started.slice(1).map(parseIteration) };
}

/** Loads iterations for many experiments at once. `withPrevious` false skips the history (and its cost). */
export async function loadIterations(db: Db | Trx, experimentIds: string[], withPrevious: boolean): Promise<Map<string, ExperimentIterations>> {
  const out = new Map<string, ExperimentIterations>();
  if (experimentIds.length === 0) return out;
  let rows: IterationRow[];
  if (withPrevious) {
    rows = await db.selectFrom('iterations').selectAll().where('experiment_id', 'in', experimentIds).execute();
  } else {
    // The draft, and the newest started iteration of each experiment.
    const drafts = await db.selectFrom('iterations').selectAll().where('experiment_id', 'in', experimentIds).where('status', '=', DRAFT_STATUS).execute();
    const latest = await db
      .selectFrom('iterations as i')
      .selectAll('i')
      .where('i.experiment_id', 'in', experimentIds)
      .where('i.status', '!=', 'not_started')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('iterations as j')
              .select('j.id')
              .whereRef('j.experiment_id', '=', 'i.experiment_id')
              .where('j.status', '!=', 'not_started')
              .where((eb) => eb.or([eb('j.started_at', '>', eb.ref('i.started_at')), eb.and([eb('j.started_at', '=', eb.ref('i.started_at')), eb('j.id', '>', eb.ref('i.id'))])])),
          ),
        ),
      )
      .execute();
    rows = [...drafts, ...latest];
  }
  const byExperiment = new Map<string, IterationRow[]>();
  for (const row of rows) {
    const list = byExperiment.get(row.experiment_id) ?? [];
    list.push(row);
    byExperiment.set(row.experiment_id, list);
  }
  for (const id of experimentIds) out.set(id, arrangeIterations(byExperiment.get(id) ?? []));
  return out;
}

/** The flag keys of the experiment's latest started iteration; undefined when none has started. */
export async function flagsRunOn(db: Db | Trx, experimentId: string): Promise<string[] | undefined> {
  const latest = (await loadIterations(db, [experimentId], false)).get(experimentId)?.current;
  return latest && latest.doc.status !== 'not_started' ? Object.keys(latest.doc.flags) : undefined;
}

/** The status an experiment lists under: its current iteration's. */
export function experimentStatus(iterations: ExperimentIterations): IterationStatus {
  return iterations.current?.doc.status ?? 'not_started';
}
