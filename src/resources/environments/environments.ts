// Environments: the stored shape, creation (with SDK and mobile keys and flag targeting), lookups, representation.
import crypto from 'node:crypto';
import type { Db, Store, Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { statement } from '../../store/statements.js';
import type { Actor } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { recordAudit } from '../audit-log/record.js';
import { addConfigsForEnvironment } from '../flags/model.js';
import { findProject, type ProjectRow } from '../projects/projects.js';
import { copySegments } from '../segments/model.js';
import { approvalSettingsFor, approvalSettingsOf, type ApprovalSettings, type ResourceApprovalSettings } from './approvalSettings.js';
import type { EnvironmentPost } from './schemas.js';

export interface EnvironmentDoc {
  color: string;
  defaultTtl: number;
  secureMode: boolean;
  defaultTrackEvents: boolean;
  requireComments: boolean;
  confirmChanges: boolean;
  tags: string[];
  critical: boolean;
  /** Absent until changed: approvalSettings.ts gives the defaults. */
  approvalSettings?: ApprovalSettings;
  /** Segments' approval settings; absent until changed, as approvalSettings. */
  resourceApprovalSettings?: ResourceApprovalSettings;
}

export interface EnvironmentRow {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  sdk_key: string;
  mobile_key: string;
  position: number;
  created_at: number;
}

export interface EnvironmentInput {
  key: string;
  name: string;
  color: string;
  defaultTtl?: number;
  secureMode?: boolean;
  defaultTrackEvents?: boolean;
  confirmChanges?: boolean;
  requireComments?: boolean;
  tags?: string[];
  critical?: boolean;
  /** A clone's: the source environment's settings (creation bodies do not set them). */
  approvalSettings?: ApprovalSettings;
  resourceApprovalSettings?: ResourceApprovalSettings;
}

export function sdkKey(): string {
  return `sdk-${crypto.randomUUID()}`;
}

export function mobileKey(): string {
  return `mob-${crypto.randomUUID()}`;
}

/**
 * Keeps env's SDK key working until expiry, beside the key replacing it (resetEnvironmentSDKKey); nothing when the
 * expiry is not in the future. Keys whose time has passed are dropped on the way.
 */
export async function retireSdkKey(trx: Trx, env: EnvironmentRow, expiry: number | undefined, now: number): Promise<void> {
  await trx.deleteFrom('retired_sdk_keys').where('environment_id', '=', env.id).where('expires_at', '<=', now).execute();
  if (expiry === undefined || expiry <= now) return;
  await trx.insertInto('retired_sdk_keys').values({ sdk_key: env.sdk_key, environment_id: env.id, expires_at: expiry }).execute();
}

/**
 * What a creation body sets. Bodies are not stripped of members EnvironmentPost lacks, and `approvalSettings` and
 * `resourceApprovalSettings` are such: only a patch sets them (with updateApprovalSettings), and a clone takes its source's.
 */
export function creationInput(body: EnvironmentPost): EnvironmentInput {
  const { source: _source, approvalSettings: _a, resourceApprovalSettings: _r, ...fields } = body as EnvironmentPost & { approvalSettings?: unknown; resourceApprovalSettings?: unknown };
  return fields;
}

/**
 * Inserts the environment; every flag of the project gets targeting in it (a copy of `sourceEnvironmentId`'s, if
 * given, with that environment's segments).
 */
export async function insertEnvironment(trx: Trx, projectId: string, input: EnvironmentInput, position: number, now: number, sourceEnvironmentId?: string): Promise<EnvironmentRow> {
  const doc: EnvironmentDoc = {
    color: input.color,
    defaultTtl: input.defaultTtl ?? 0,
    secureMode: input.secureMode ?? false,
    defaultTrackEvents: input.defaultTrackEvents ?? false,
    requireComments: input.requireComments ?? false,
    confirmChanges: input.confirmChanges ?? false,
    tags: input.tags ?? [],
    critical: input.critical ?? false,
    ...(input.approvalSettings !== undefined ? { approvalSettings: input.approvalSettings } : {}),
    ...(input.resourceApprovalSettings !== undefined ? { resourceApprovalSettings: input.resourceApprovalSettings } : {}),
  };
  const row: EnvironmentRow = {
    id: objectId(now),
    project_id: projectId,
    key: input.key,
    name: input.name,
    doc: JSON.stringify(doc),
    sdk_key: sdkKey(),
    mobile_key: mobileKey(),
    position,
    created_at: now,
  };
  await trx.insertInto('environments').values(row).execute();
  await addConfigsForEnvironment(trx, projectId, row.id, now, sourceEnvironmentId);
  if (sourceEnvironmentId !== undefined) await copySegments(trx, sourceEnvironmentId, row.id, now);
  return row;
}

export async function findEnvironment(db: Db | Trx, projectId: string, projectKey: string, key: string): Promise<EnvironmentRow> {
  const row = await db.selectFrom('environments').selectAll().where('project_id', '=', projectId).where('key', '=', key).executeTakeFirst();
  if (!row) throw notFound(`Environment "${key}" in project "${projectKey}"`);
  return row;
}

/** Like findEnvironment, inside a write: the row is locked on PostgreSQL until commit. */
export async function lockEnvironment(trx: Trx, store: Store, project: { id: string; key: string }, key: string): Promise<EnvironmentRow> {
  let query = trx.selectFrom('environments').selectAll().where('project_id', '=', project.id).where('key', '=', key);
  if (store.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Environment "${key}" in project "${project.key}"`);
  return row;
}

// Every flag write lists the project's environments: written once as SQL (statements.ts says why).
const environmentsOf = statement<EnvironmentRow>('select * from "environments" where "project_id" = ? order by "position", "id"');

export async function listEnvironments(db: Db | Trx, projectId: string): Promise<EnvironmentRow[]> {
  return environmentsOf.run(db, [projectId]);
}

/** The environment's settings as an EnvironmentInput (to clone them). */
export function environmentSettings(row: EnvironmentRow): Omit<EnvironmentInput, 'key' | 'name'> {
  return JSON.parse(row.doc) as EnvironmentDoc;
}

export function representEnvironment(projectKey: string, row: EnvironmentRow): Record<string, unknown> {
  const doc = JSON.parse(row.doc) as EnvironmentDoc;
  return {
    _links: {
      analytics: { href: `/analytics/${projectKey}/${row.key}`, type: 'text/html' },
      'apiKey': link(`/api/v2/projects/${projectKey}/environments/${row.key}/apiKey`),
      'mobileKey': link(`/api/v2/projects/${projectKey}/environments/${row.key}/mobileKey`),
      self: link(`/api/v2/projects/${projectKey}/environments/${row.key}`),
    },
    _id: row.id,
    key: row.key,
    name: row.name,
    apiKey: row.sdk_key,
    mobileKey: row.mobile_key,
    color: doc.color,
    defaultTtl: doc.defaultTtl,
    secureMode: doc.secureMode,
    defaultTrackEvents: doc.defaultTrackEvents,
    requireComments: doc.requireComments,
    confirmChanges: doc.confirmChanges,
    tags: doc.tags,
    critical: doc.critical,
    approvalSettings: approvalSettingsOf(doc),
    resourceApprovalSettings: { segment: approvalSettingsFor(doc, 'segment'), aiconfig: approvalSettingsFor(doc, 'aiconfig') },
  };
}

/**
 * Writes an environment's new name and settings with the audit entry every change of an environment's settings
 * leaves (`updateEnvironment`, the environment before and after, the change as the client sent it), in `trx`.
 * Whatever route changed them (patchEnvironment, or patchApprovalRequestSettings for its approval settings), the
 * audit log tells the same story.
 */
export async function updateEnvironment(
  trx: Trx,
  actor: Actor | undefined,
  now: number,
  projectKey: string,
  row: EnvironmentRow,
  next: { name: string; doc: EnvironmentDoc },
  change: { delta: unknown; comment?: string },
): Promise<EnvironmentRow> {
  const updated: EnvironmentRow = { ...row, name: next.name, doc: JSON.stringify(next.doc) };
  await trx.updateTable('environments').set({ name: updated.name, doc: updated.doc }).where('id', '=', row.id).execute();
  await recordAudit(trx, actor, now, {
    kind: 'environment',
    resource: `proj/${projectKey}:env/${row.key}`,
    action: 'updateEnvironment',
    name: updated.name,
    description: `updated the environment ${updated.name}`,
    projectKey,
    ...(change.comment !== undefined ? { comment: change.comment } : {}),
    delta: change.delta,
    before: representEnvironment(projectKey, row),
    after: representEnvironment(projectKey, updated),
  });
  return updated;
}

/** The project and environment a nested route addresses; 404 names whichever is missing. */
export async function findProjectEnvironment(
  db: Db | Trx,
  projectKey: string,
  environmentKey: string,
): Promise<{ project: ProjectRow; environment: EnvironmentRow }> {
  const project = await findProject(db, projectKey);
  const environment = await findEnvironment(db, project.id, project.key, environmentKey);
  return { project, environment };
}
