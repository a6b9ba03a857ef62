// Insight groups as stored and shown: a project's environment and (optionally) applications whose scores are followed
// together (InsightGroup, with its environment, scores and score periods when expanded): the only code that builds
// insight group JSON.
import { notFound } from '../../http/errors.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { InsightGroupsTable } from '../../store/schema.js';
import { representEnvironment, type EnvironmentRow } from '../environments/environments.js';
import { scoresFor } from './scores.js';

export type GroupRow = InsightGroupsTable;

export interface GroupDoc {
  /** Absent: every application. */
  applicationKeys?: string[];
}

export interface PlacedGroup {
  row: GroupRow;
  projectKey: string;
  environment: EnvironmentRow;
}

export const GROUP_EXPANDS = ['scores', 'environment'] as const;

export function groupDoc(row: Pick<GroupRow, 'doc'>): GroupDoc {
  return JSON.parse(row.doc) as GroupDoc;
}

/** Groups with their project's key and environment (of the keys given, else all), by key. */
export async function placedGroups(db: Db | Trx, keys?: readonly string[], lock?: Pick<Store, 'kind'>): Promise<PlacedGroup[]> {
  let query = db.selectFrom('insight_groups').selectAll();
  if (keys) query = query.where('key', 'in', keys.length > 0 ? [...keys] : ['']);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const environments = await db.selectFrom('environments').selectAll().where('id', 'in', [...new Set(rows.map((r) => r.environment_id))]).execute();
  const projects = await db.selectFrom('projects').select(['id', 'key']).where('id', 'in', [...new Set(rows.map((r) => r.project_id))]).execute();
  const envById = new Map(environments.map((e) => [e.id, e as EnvironmentRow]));
  const projectKey = new Map(projects.map((p) => [p.id, p.key]));
  return rows.map((row) => ({ row, projectKey: projectKey.get(row.project_id)!, environment: envById.get(row.environment_id)! }));
}

/** A group by key (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findGroup(db: Db | Trx, key: string, lock?: Pick<Store, 'kind'>): Promise<PlacedGroup> {
  const [found] = await placedGroups(db, [key], lock);
  if (!found) throw notFound(`Insight group "${key}"`);
  return found;
}

/** InsightGroup without expansions. */
export function representGroup(group: PlacedGroup): Record<string, unknown> {
  const doc = groupDoc(group.row);
  return {
    key: group.row.key,
    name: group.row.name,
    projectKey: group.projectKey,
    environmentKey: group.environment.key,
    ...(doc.applicationKeys ? { applicationKeys: doc.applicationKeys } : {}),
    createdAt: Number(group.row.created_at),
  };
}

/** InsightGroup with `environment` and `scores` (and scoreMetadata) as asked; the overall indicator for counting. */
export async function representExpandedGroup(db: Db, group: PlacedGroup, expand: ReadonlySet<string>, now: number): Promise<{ rep: Record<string, unknown>; overall?: string }> {
  const rep = representGroup(group);
  if (expand.has('environment')) rep.environment = representEnvironment(group.projectKey, group.environment);
  if (!expand.has('scores')) return { rep };
  const doc = groupDoc(group.row);
  const scored = await scoresFor(db, { projectId: group.row.project_id, projectKey: group.projectKey, environment: group.environment, applicationKeys: doc.applicationKeys }, now);
  rep.scores = scored.scores;
  rep.scoreMetadata = { period: scored.period, lastPeriod: scored.lastPeriod };
  return { rep, overall: (scored.scores.overall as { indicator: string }).indicator };
}

export function groupAudit(group: PlacedGroup, action: string, verb: string): { kind: string; resource: string; action: string; name: string; description: string; projectKey: string } {
  return {
    kind: 'insight-group',
    resource: `proj/${group.projectKey}:env/${group.environment.key}:insight-group/${group.row.key}`,
    action,
    name: group.row.name,
    description: `${verb} the insight group ${group.row.name}`,
    projectKey: group.projectKey,
  };
}
