// What views link: the resource types, the link request's body (keys, segment identifiers, a filter), the flags,
// segments and AI Configs a request names (found, or failed with the reason), and the link rows that hold them.
import { Type } from '@sinclair/typebox';
import { notFound, objectBody, validationFailed } from '../../http/errors.js';
import { check } from '../../http/validation.js';
import type { Db, Store, Trx } from '../../store/db.js';
import { compareText } from '../../store/reads.js';
import { flagFilter } from '../flags/listFilter.js';
import { listFlagRows, type FlagDoc } from '../flags/model.js';
import { segmentFilter, segmentViews } from '../segments/listFilter.js';
import { listSegments, type SegmentDoc } from '../segments/model.js';
import type { ViewRow } from './model.js';

/**
 * The types a view links. `aiConfigs` is LaunchDarkly's newer third type (2026-07): an AI Config is linked as its
 * flag (the flag of the same key that `postAIConfig` made; `viewKeys` links it so too), in `view_flags`. The views'
 * `flags` lists leave AI Configs' flags out, as the flags list does; type `aiConfigs` lists them, as AI Configs.
 */
const RESOURCE_TYPES = ['flags', 'segments', 'aiConfigs'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** The links a type's resources are in: AI Configs' are their flags' (`view_flags`), segments' `view_segments`. */
const linkTable = (resourceType: ResourceType): 'flags' | 'segments' => (resourceType === 'segments' ? 'segments' : 'flags');

export function readResourceType(raw: string): ResourceType {
  if (!RESOURCE_TYPES.includes(raw as ResourceType)) throw validationFailed([{ attribute: 'resourceType', reason: `must be one of ${RESOURCE_TYPES.join(', ')}, not "${raw}"` }]);
  return raw as ResourceType;
}

/** The custom-role (and audit) action of linking or unlinking each type, LaunchDarkly's view actions. */
export const LINK_ACTIONS: Record<ResourceType, { link: string; unlink: string }> = {
  flags: { link: 'linkFlagToView', unlink: 'unlinkFlagFromView' },
  segments: { link: 'linkSegmentToView', unlink: 'unlinkSegmentFromView' },
  aiConfigs: { link: 'linkAIConfigToView', unlink: 'unlinkAIConfigFromView' },
};

interface SegmentIdentifier {
  environmentId: string;
  segmentKey: string;
}

/** A link (or unlink) request: the resources it names by key or identifier, and those a filter picks (the union). */
export interface LinkRequest {
  keys?: string[];
  segmentIdentifiers?: SegmentIdentifier[];
  filter?: string;
  environmentId?: string;
  comment?: string;
}

/** LaunchDarkly's three forms of ViewLinkRequest, as one object whose members are then checked together. */
const LinkBody = Type.Object(
  {
    keys: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000 })),
    segmentIdentifiers: Type.Optional(
      Type.Array(
        Type.Object({ environmentId: Type.String({ minLength: 1, maxLength: 256 }), segmentKey: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
        { maxItems: 1000 },
      ),
    ),
    filter: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
    environmentId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    comment: Type.Optional(Type.String({ maxLength: 65536 })),
  },
  { additionalProperties: false },
);

/** The body of linkResource and unlinkResource for `type`; every problem a 400 naming its field. */
export function readLinkRequest(body: unknown, type: ResourceType): LinkRequest {
  const request = objectBody(body, 'with keys, segmentIdentifiers or a filter') as LinkRequest;
  const errors = check(LinkBody, request);
  if (errors.length > 0) throw validationFailed(errors);
  const { keys, segmentIdentifiers, filter, environmentId } = request;
  if (keys !== undefined && segmentIdentifiers !== undefined) throw validationFailed([{ attribute: 'segmentIdentifiers', reason: 'cannot be sent with keys' }]);
  // LaunchDarkly links AI Configs "using config keys": its filters are the flag and segment lists'.
  if (type === 'aiConfigs' && filter !== undefined) throw validationFailed([{ attribute: 'filter', reason: 'is taken for flags and segments only; AI Configs are named by keys' }]);
  if (keys === undefined && segmentIdentifiers === undefined && filter === undefined) {
    throw validationFailed([{ attribute: 'keys', reason: type === 'aiConfigs' ? 'is required' : `one of keys${type === 'segments' ? ', segmentIdentifiers' : ''} or filter is required` }]);
  }
  if (type === 'segments' && keys !== undefined) {
    throw validationFailed([{ attribute: 'keys', reason: 'segments are named by segmentIdentifiers ({environmentId, segmentKey}), not by keys' }]);
  }
  if (type !== 'segments' && segmentIdentifiers !== undefined) throw validationFailed([{ attribute: 'segmentIdentifiers', reason: `names segments; ${type} are named by keys` }]);
  // ViewLinkRequestKeys has no environmentId: it goes with a filter (of segments) or with segment identifiers.
  if (keys !== undefined && environmentId !== undefined) throw validationFailed([{ attribute: 'environmentId', reason: 'is taken with a filter or with segmentIdentifiers, not with keys' }]);
  if (type === 'segments' && filter !== undefined && environmentId === undefined) {
    throw validationFailed([{ attribute: 'environmentId', reason: 'is required with a filter for segments: it names the environment whose segments the filter picks' }]);
  }
  // A filter is checked before anything is looked up: a malformed one is a 400 whatever the view.
  if (filter !== undefined && type === 'flags') flagFilter(filter);
  if (filter !== undefined && type === 'segments') segmentFilter(filter);
  return request;
}

/** A resource a request named that could not be linked, as FailedResourceLink. */
export interface FailedResource {
  resourceKey: string;
  resourceType: 'flag' | 'segment' | 'aiConfig';
  environmentId?: string;
  errorMessage: string;
}

/** A flag or segment a request names, by its row id (an AI Config: its flag's). */
export interface NamedResource {
  id: string;
  key: string;
  /** Segments only. */
  environmentId?: string;
  environmentKey?: string;
}

interface Resolved {
  found: NamedResource[];
  failed: FailedResource[];
}

interface ProjectRef {
  id: string;
  key: string;
}

/** On PostgreSQL, the rows stay as they are until commit (a flag or segment deleted meanwhile is not linked). */
async function heldIds(trx: Trx, store: Pick<Store, 'kind'>, table: 'flags' | 'segments', ids: string[]): Promise<Set<string>> {
  if (ids.length === 0 || store.kind !== 'postgres') return new Set(ids);
  const rows = await trx.selectFrom(table).select('id').where('id', 'in', ids).forShare().execute();
  return new Set(rows.map((row) => row.id));
}

function union(named: NamedResource[]): NamedResource[] {
  return [...new Map(named.map((resource) => [resource.id, resource])).values()];
}

/** The project's flags a request names by key (each missing one failed) or picks by the flag list's filter. */
async function resolveFlags(trx: Trx, store: Pick<Store, 'kind'>, project: ProjectRef, request: LinkRequest): Promise<Resolved> {
  const keys = [...new Set(request.keys ?? [])];
  const named: NamedResource[] = [];
  const failed: FailedResource[] = [];
  if (keys.length > 0) {
    const rows = await trx.selectFrom('flags').select(['id', 'key']).where('project_id', '=', project.id).where('key', 'in', keys).execute();
    const byKey = new Map(rows.map((row) => [row.key, row]));
    for (const key of keys) {
      const row = byKey.get(key);
      if (row) named.push({ id: row.id, key });
      else failed.push({ resourceKey: key, resourceType: 'flag', errorMessage: `Flag "${key}" in project "${project.key}" not found` });
    }
  }
  if (request.filter !== undefined) {
    const keep = flagFilter(request.filter);
    for (const row of await listFlagRows(trx, project.id)) if (keep({ row, doc: JSON.parse(row.doc) as FlagDoc })) named.push({ id: row.id, key: row.key });
  }
  const found = union(named);
  const held = await heldIds(trx, store, 'flags', found.map((f) => f.id));
  return { found: found.filter((f) => held.has(f.id)), failed };
}

/** The project's AI Configs a request names by key, as their flags (each key that is no AI Config of the project failed). */
async function resolveAIConfigs(trx: Trx, store: Pick<Store, 'kind'>, project: ProjectRef, request: LinkRequest): Promise<Resolved> {
  const keys = [...new Set(request.keys ?? [])];
  const rows = keys.length > 0 ? await trx.selectFrom('ai_configs').select(['flag_id', 'key']).where('project_id', '=', project.id).where('key', 'in', keys).execute() : [];
  const byKey = new Map(rows.map((row) => [row.key, row.flag_id]));
  const found: NamedResource[] = [];
  const failed: FailedResource[] = [];
  for (const key of keys) {
    const flagId = byKey.get(key);
    if (flagId) found.push({ id: flagId, key });
    else failed.push({ resourceKey: key, resourceType: 'aiConfig', errorMessage: `AI Config "${key}" in project "${project.key}" not found` });
  }
  const held = await heldIds(trx, store, 'flags', found.map((f) => f.id));
  return { found: found.filter((f) => held.has(f.id)), failed };
}

/**
 * The project's segments a request names by environment and key (each missing one, or one of an environment the
 * project lacks, failed) or picks by the segment list's filter in `environmentId` (404 when the project lacks it).
 */
async function resolveSegments(trx: Trx, store: Pick<Store, 'kind'>, project: ProjectRef, request: LinkRequest): Promise<Resolved> {
  const environments = new Map((await trx.selectFrom('environments').select(['id', 'key']).where('project_id', '=', project.id).execute()).map((env) => [env.id, env.key]));
  const named: NamedResource[] = [];
  const failed: FailedResource[] = [];
  const identifiers = [...new Map((request.segmentIdentifiers ?? []).map((i) => [`${i.environmentId}\u0000${i.segmentKey}`, i])).values()];
  const inProject = identifiers.filter((i) => environments.has(i.environmentId));
  const rows =
    inProject.length > 0
      ? await trx
          .selectFrom('segments')
          .select(['id', 'environment_id', 'key'])
          .where('environment_id', 'in', [...new Set(inProject.map((i) => i.environmentId))])
          .where('key', 'in', [...new Set(inProject.map((i) => i.segmentKey))])
          .execute()
      : [];
  const segmentIds = new Map(rows.map((row) => [`${row.environment_id}\u0000${row.key}`, row.id]));
  for (const { environmentId, segmentKey } of identifiers) {
    const environmentKey = environments.get(environmentId);
    const fail = (errorMessage: string) => failed.push({ resourceKey: segmentKey, resourceType: 'segment', environmentId, errorMessage });
    if (environmentKey === undefined) {
      fail(`Environment "${environmentId}" in project "${project.key}" not found`);
      continue;
    }
    const id = segmentIds.get(`${environmentId}\u0000${segmentKey}`);
    if (id) named.push({ id, key: segmentKey, environmentId, environmentKey });
    else fail(`Segment "${segmentKey}" in environment "${environmentKey}" of project "${project.key}" not found`);
  }
  if (request.filter !== undefined && request.environmentId !== undefined) {
    const keep = segmentFilter(request.filter);
    const environmentKey = environments.get(request.environmentId);
    if (environmentKey === undefined) throw notFound(`Environment "${request.environmentId}" in project "${project.key}"`);
    const views = keep.namesViews ? await segmentViews(trx, request.environmentId) : undefined;
    for (const segment of await listSegments(trx, request.environmentId)) {
      if (keep(views ? { ...segment, views: views.get(segment.row.id) } : segment)) named.push({ id: segment.row.id, key: segment.row.key, environmentId: request.environmentId, environmentKey });
    }
  }
  const found = union(named);
  const held = await heldIds(trx, store, 'segments', found.map((s) => s.id));
  return { found: found.filter((s) => held.has(s.id)), failed };
}

/** Rows an insert carries: 3 parameters each, well under both databases' limits. */
const LINKS_PER_INSERT = 500;

/**
 * When each of `resources` was linked to the view (already linked ones keep their time; the others are linked `now`).
 * Flags and AI Configs (as their flags) are linked in `view_flags`, segments in `view_segments`.
 */
export async function link(trx: Trx, view: ViewRow, resourceType: ResourceType, resources: readonly NamedResource[], now: number): Promise<{ linkedAt: Map<string, number>; added: NamedResource[] }> {
  const type = linkTable(resourceType);
  const ids = resources.map((r) => r.id);
  const linkedAt = new Map<string, number>();
  if (ids.length === 0) return { linkedAt, added: [] };
  const existing =
    type === 'flags'
      ? await trx.selectFrom('view_flags').select(['flag_id as id', 'linked_at']).where('view_id', '=', view.id).where('flag_id', 'in', ids).execute()
      : await trx.selectFrom('view_segments').select(['segment_id as id', 'linked_at']).where('view_id', '=', view.id).where('segment_id', 'in', ids).execute();
  for (const row of existing) linkedAt.set(row.id, Number(row.linked_at));
  const added = resources.filter((r) => !linkedAt.has(r.id));
  for (let i = 0; i < added.length; i += LINKS_PER_INSERT) {
    const chunk = added.slice(i, i + LINKS_PER_INSERT);
    if (type === 'flags') await trx.insertInto('view_flags').values(chunk.map((r) => ({ view_id: view.id, flag_id: r.id, linked_at: now }))).execute();
    else await trx.insertInto('view_segments').values(chunk.map((r) => ({ view_id: view.id, segment_id: r.id, linked_at: now }))).execute();
  }
  for (const r of added) linkedAt.set(r.id, now);
  return { linkedAt, added };
}

/** Unlinks `resources` from the view; those it did not link are left as they are. Returns those it unlinked. */
export async function unlink(trx: Trx, view: ViewRow, resourceType: ResourceType, resources: readonly NamedResource[]): Promise<NamedResource[]> {
  const type = linkTable(resourceType);
  const ids = resources.map((r) => r.id);
  if (ids.length === 0) return [];
  const removed =
    type === 'flags'
      ? await trx.deleteFrom('view_flags').where('view_id', '=', view.id).where('flag_id', 'in', ids).returning('flag_id as id').execute()
      : await trx.deleteFrom('view_segments').where('view_id', '=', view.id).where('segment_id', 'in', ids).returning('segment_id as id').execute();
  const gone = new Set(removed.map((row) => row.id));
  return resources.filter((r) => gone.has(r.id));
}

/** A flag linked to a view: its key and name, its document when asked for, and when it was linked. */
export interface LinkedFlag {
  viewId: string;
  id: string;
  key: string;
  name: string;
  doc?: FlagDoc;
  linkedAt: number;
}

/** An AI Config linked to a view (as its flag): its key, its name (its flag's, which is the config's), when it was linked. */
export interface LinkedAIConfig {
  viewId: string;
  id: string;
  key: string;
  name: string;
  /** The AI Config's row, when asked for (expand=resourceDetails). */
  config?: { doc: string; createdAt: number };
  linkedAt: number;
}

/** A segment linked to a view, with its environment. */
export interface LinkedSegment {
  viewId: string;
  id: string;
  key: string;
  name: string;
  environmentId: string;
  environmentKey: string;
  doc?: SegmentDoc;
  linkedAt: number;
}

const byLinkTime = <T extends { linkedAt: number; key: string; id: string }>(a: T, b: T) => a.linkedAt - b.linkedAt || compareText(a.key, b.key) || compareText(a.id, b.id);

/**
 * The flags linked to these views, oldest link first; `docs` loads each flag's document too (expansions, filters).
 * AI Configs' flags are left out, as the flags list leaves them out: they are the views' AI Configs (linkedAIConfigs).
 */
export async function linkedFlags(db: Db | Trx, viewIds: readonly string[], docs: boolean): Promise<LinkedFlag[]> {
  if (viewIds.length === 0) return [];
  const rows = await db
    .selectFrom('view_flags')
    .innerJoin('flags', 'flags.id', 'view_flags.flag_id')
    .leftJoin('ai_configs', 'ai_configs.flag_id', 'view_flags.flag_id')
    .select(['view_flags.view_id as viewId', 'flags.id as id', 'flags.key as key', 'flags.name as name', 'view_flags.linked_at as linkedAt'])
    .$if(docs, (q) => q.select('flags.doc as doc'))
    .where('view_flags.view_id', 'in', [...viewIds])
    .where('ai_configs.id', 'is', null)
    .execute();
  return rows
    .map((row) => {
      const doc = (row as { doc?: string }).doc;
      return { viewId: row.viewId, id: row.id, key: row.key, name: row.name, linkedAt: Number(row.linkedAt), ...(doc !== undefined ? { doc: JSON.parse(doc) as FlagDoc } : {}) };
    })
    .sort(byLinkTime);
}

/** The segments linked to these views, with their environments, oldest link first. */
export async function linkedSegments(db: Db | Trx, viewIds: readonly string[], docs: boolean): Promise<LinkedSegment[]> {
  if (viewIds.length === 0) return [];
  const rows = await db
    .selectFrom('view_segments')
    .innerJoin('segments', 'segments.id', 'view_segments.segment_id')
    .innerJoin('environments', 'environments.id', 'segments.environment_id')
    .select([
      'view_segments.view_id as viewId',
      'segments.id as id',
      'segments.key as key',
      'segments.name as name',
      'environments.id as environmentId',
      'environments.key as environmentKey',
      'view_segments.linked_at as linkedAt',
    ])
    .$if(docs, (q) => q.select('segments.doc as doc'))
    .where('view_segments.view_id', 'in', [...viewIds])
    .execute();
  return rows
    .map((row) => {
      const { doc, ...rest } = row as typeof row & { doc?: string };
      return { ...rest, linkedAt: Number(row.linkedAt), ...(doc !== undefined ? { doc: JSON.parse(doc) as SegmentDoc } : {}) };
    })
    .sort(byLinkTime);
}

/** The AI Configs linked to these views (their flags' links), oldest link first; `configs` loads each one's row too. */
export async function linkedAIConfigs(db: Db | Trx, viewIds: readonly string[], configs: boolean): Promise<LinkedAIConfig[]> {
  if (viewIds.length === 0) return [];
  const rows = await db
    .selectFrom('view_flags')
    .innerJoin('ai_configs', 'ai_configs.flag_id', 'view_flags.flag_id')
    .innerJoin('flags', 'flags.id', 'view_flags.flag_id')
    .select(['view_flags.view_id as viewId', 'flags.id as id', 'ai_configs.key as key', 'flags.name as name', 'view_flags.linked_at as linkedAt', 'ai_configs.created_at as createdAt'])
    .$if(configs, (q) => q.select('ai_configs.doc as doc'))
    .where('view_flags.view_id', 'in', [...viewIds])
    .execute();
  return rows
    .map((row) => {
      const doc = (row as { doc?: string }).doc;
      return { viewId: row.viewId, id: row.id, key: row.key, name: row.name, linkedAt: Number(row.linkedAt), ...(doc !== undefined ? { config: { doc, createdAt: Number(row.createdAt) } } : {}) };
    })
    .sort(byLinkTime);
}

/** The views a flag, a segment or an AI Config (by the row id of its flag) is linked to, by key. */
export async function viewsLinking(db: Db | Trx, resourceType: ResourceType, resourceId: string): Promise<ViewRow[]> {
  const type = linkTable(resourceType);
  const rows =
    type === 'flags'
      ? await db.selectFrom('views').innerJoin('view_flags', 'view_flags.view_id', 'views.id').selectAll('views').where('view_flags.flag_id', '=', resourceId).execute()
      : await db.selectFrom('views').innerJoin('view_segments', 'view_segments.view_id', 'views.id').selectAll('views').where('view_segments.segment_id', '=', resourceId).execute();
  return rows.sort((a, b) => compareText(a.key, b.key));
}

/** The flags, segments or AI Configs a request names. */
export function resolveResources(trx: Trx, store: Pick<Store, 'kind'>, project: ProjectRef, type: ResourceType, request: LinkRequest): Promise<Resolved> {
  if (type === 'aiConfigs') return resolveAIConfigs(trx, store, project, request);
  return type === 'flags' ? resolveFlags(trx, store, project, request) : resolveSegments(trx, store, project, request);
}

