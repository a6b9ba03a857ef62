// The stored shape of metrics and metric groups, their lookups, and the small representations experiments embed.
import type { Db, DbKind, Trx } from '../../store/db.js';
import { notFound } from '../../http/errors.js';
import { link, type Link } from '../../http/links.js';

export type MetricKind = 'pageview' | 'click' | 'custom';

export interface MetricDoc {
  kind: MetricKind;
  name: string;
  description?: string;
  tags: string[];
  isNumeric?: boolean;
  eventKey?: string;
  selector?: string;
  urls?: { kind?: string; url?: string; substring?: string; pattern?: string }[];
  unit?: string;
  successCriteria?: 'HigherThanBaseline' | 'LowerThanBaseline';
  randomizationUnits?: string[];
  unitAggregationType?: 'sum' | 'average';
  analysisType?: string;
  percentileValue?: number;
  eventDefault?: { disabled?: boolean; value?: number };
  filters?: unknown;
  /** Percentiles (open interval 0-100) each unit's value is clamped at; see winsorBounds in src/analysis/results.ts. */
  winsorLowerPercentile?: number;
  winsorUpperPercentile?: number;
  /** The bounds are computed with the units that sent no event (their imputed value) too. */
  winsorIncludeImputed?: boolean;
  /** Milliseconds from a unit's first exposure; stored, not applied (LaunchDarkly: "Not yet implemented"). */
  windowStartOffset?: number;
  windowEndOffset?: number;
  dataSource?: { key: string; environmentKey?: string; _name?: string; _integrationKey?: string };
  maintainerId?: string;
  category?: string;
  /** Changes on every update; iterations pin the version they were created with. */
  _versionId: string;
  _version: number;
  creationDate: number;
  lastModified: number;
  archived?: boolean;
  archivedAt?: number;
}

export interface MetricRow {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

export interface MetricGroupMember {
  key: string;
  nameInGroup?: string;
}

export interface MetricGroupDoc {
  kind: 'funnel' | 'standard';
  name: string;
  description?: string;
  maintainerId: string;
  tags: string[];
  metrics: MetricGroupMember[];
  _version: number;
  _versionId: string;
  _creationDate: number;
  _lastModified: number;
}

export interface MetricGroupRow {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

export async function findMetrics(db: Db | Trx, projectId: string, keys: string[]): Promise<Map<string, { row: MetricRow; doc: MetricDoc }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('metrics').selectAll().where('project_id', '=', projectId).where('key', 'in', keys).execute();
  return new Map(rows.map((row) => [row.key, { row, doc: JSON.parse(row.doc) as MetricDoc }]));
}

export async function findMetricGroups(
  db: Db | Trx,
  projectId: string,
  keys: string[],
): Promise<Map<string, { row: MetricGroupRow; doc: MetricGroupDoc }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('metric_groups').selectAll().where('project_id', '=', projectId).where('key', 'in', keys).execute();
  return new Map(rows.map((row) => [row.key, { row, doc: JSON.parse(row.doc) as MetricGroupDoc }]));
}

/** A row of `metrics` or `metric_groups` (same columns) by project and key; on PostgreSQL `lock` holds it until commit. */
async function rowByKey(db: Db | Trx, table: 'metrics' | 'metric_groups', projectId: string, key: string, lock: DbKind | undefined) {
  let query = db.selectFrom(table as 'metrics').selectAll().where('project_id', '=', projectId).where('key', '=', key);
  if (lock === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

/** One metric of a project, or a 404 naming it. Pass the store kind as `lock` to hold the row for the transaction. */
export async function findMetric(db: Db | Trx, projectId: string, key: string, lock?: DbKind): Promise<{ row: MetricRow; doc: MetricDoc }> {
  const row = await rowByKey(db, 'metrics', projectId, key, lock);
  if (!row) throw notFound(`Metric "${key}"`);
  return { row, doc: JSON.parse(row.doc) as MetricDoc };
}

/** One metric group of a project, or a 404 naming it; `lock` as for findMetric. */
export async function findMetricGroup(db: Db | Trx, projectId: string, key: string, lock?: DbKind): Promise<{ row: MetricGroupRow; doc: MetricGroupDoc }> {
  const row = await rowByKey(db, 'metric_groups', projectId, key, lock);
  if (!row) throw notFound(`Metric group "${key}"`);
  return { row, doc: JSON.parse(row.doc) as MetricGroupDoc };
}

/** Every metric group of a project with its stored document. */
export async function listMetricGroups(db: Db | Trx, projectId: string): Promise<{ row: MetricGroupRow; doc: MetricGroupDoc }[]> {
  const rows = await db.selectFrom('metric_groups').selectAll().where('project_id', '=', projectId).execute();
  return rows.map((row) => ({ row, doc: JSON.parse(row.doc) as MetricGroupDoc }));
}

export function metricLinks(projectKey: string, key: string): Record<string, Link> {
  return { self: link(`/api/v2/metrics/${projectKey}/${key}`) };
}

export function metricGroupLinks(projectKey: string, key: string): Record<string, Link> {
  return { parent: link(`/api/v2/projects/${projectKey}`), self: link(`/api/v2/projects/${projectKey}/metric-groups/${key}`) };
}

function optional<T extends Record<string, unknown>>(rep: T): T {
  for (const key of Object.keys(rep)) if (rep[key] === undefined) delete rep[key];
  return rep;
}

/** MetricV2Rep: how an iteration shows a single metric (with the 2026-07 spec's `analysisType`). */
export function metricV2Rep(projectKey: string, key: string, doc: MetricDoc): Record<string, unknown> {
  return optional({
    key,
    _versionId: doc._versionId,
    name: doc.name,
    kind: doc.kind,
    isNumeric: doc.isNumeric,
    unitAggregationType: doc.unitAggregationType,
    analysisType: doc.analysisType,
    eventKey: doc.eventKey,
    _links: metricLinks(projectKey, key),
  });
}

/** MetricInGroupRep: a member metric of a group, with its `nameInGroup` (funnels); `analysisUnits` (2026-07) repeats `randomizationUnits`. */
export function metricInGroupRep(projectKey: string, key: string, doc: MetricDoc, nameInGroup: string | undefined): Record<string, unknown> {
  return optional({
    ...metricV2Rep(projectKey, key, doc),
    nameInGroup,
    randomizationUnits: doc.randomizationUnits,
    analysisUnits: doc.randomizationUnits,
  });
}
