// AI tools as stored: a project's reusable tool definitions, each kept as every version of it (AI Config variations
// pin a tool by key and version). A change to what a version holds (description, schema, custom parameters) makes a
// new version; the maintainer belongs to the tool, not to a version. The request bodies, the lookups and the rules.
import { Type, type Static } from '@sinclair/typebox';
import { notFound } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { Description, JsonObject, Key, Tags } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { AiToolsTable, AiToolVersionsTable } from '../../store/schema.js';
import type { Maintainer } from './maintainer.js';

export type AIToolRow = AiToolsTable;
export type AIToolVersionRow = AiToolVersionsTable;

/** The tool's own doc: what every version shares. */
export interface AIToolDoc {
  maintainer?: Maintainer;
  /** The tool's tags (2026-07): the tool's, not a version's, so a change of tags makes no new version. */
  tags?: string[];
}

/** What one version holds: the definition an LLM is given (description, schema) and the application's parameters. */
export interface AIToolVersionDoc {
  description?: string;
  schema: Record<string, unknown>;
  customParameters?: Record<string, unknown>;
}

const VERSIONED = {
  description: Type.Optional(Description),
  /** Kept as sent: LaunchDarkly's own guide sends a JSON Schema, or OpenAI's function-calling form (`type: "function"`). */
  schema: JsonObject,
  customParameters: Type.Optional(JsonObject),
};
const MAINTAINER = { maintainerId: Type.Optional(Type.String()), maintainerTeamKey: Type.Optional(Type.String()) };
/** The tool's tags (2026-07), kept deduplicated in the order first sent. */
const TAGS = { tags: Type.Optional(Tags) };

export const AIToolPost = Type.Object({ key: Key, ...VERSIONED, ...MAINTAINER, ...TAGS });
export type AIToolPost = Static<typeof AIToolPost>;

/** Each member sent replaces the tool's; none is required. */
export const AIToolPatch = Type.Object({ ...VERSIONED, schema: Type.Optional(JsonObject), ...MAINTAINER, ...TAGS });
export type AIToolPatch = Static<typeof AIToolPatch>;

export const TOOL_ACTIONS = { create: 'createAITool', update: 'updateAITool', delete: 'deleteAITool' } as const;

/** The tool's own doc a body makes: its maintainer, and its tags (the body's, deduplicated, else the current ones). */
export function nextToolDoc(maintainer: Maintainer | undefined, currentTags: string[] | undefined, body: { tags?: string[] }): AIToolDoc {
  const tags = body.tags !== undefined ? [...new Set(body.tags)] : currentTags;
  return { ...(maintainer ? { maintainer } : {}), ...(tags !== undefined ? { tags } : {}) };
}

export function toolDoc(row: Pick<AIToolRow, 'doc'>): AIToolDoc {
  return JSON.parse(row.doc) as AIToolDoc;
}

export function versionDoc(row: Pick<AIToolVersionRow, 'doc'>): AIToolVersionDoc {
  return JSON.parse(row.doc) as AIToolVersionDoc;
}

/** The version a body makes of `current`: each versioned member it sends replaces the current one. */
export function nextVersionDoc(current: AIToolVersionDoc, body: AIToolPatch): AIToolVersionDoc {
  const next: AIToolVersionDoc = { ...current };
  if (body.description !== undefined) next.description = body.description;
  if (body.schema !== undefined) next.schema = body.schema;
  if (body.customParameters !== undefined) next.customParameters = body.customParameters;
  return next;
}

/** Whether two versions define the tool differently: only then does an update make a new version. */
export function definesDifferently(a: AIToolVersionDoc, b: AIToolVersionDoc): boolean {
  return !deepEqual(a.description, b.description) || !deepEqual(a.schema, b.schema) || !deepEqual(a.customParameters, b.customParameters);
}

/** A tool of the project by key (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findTool(db: Db | Trx, projectId: string, key: string, lock?: Pick<Store, 'kind'>): Promise<AIToolRow> {
  let query = db.selectFrom('ai_tools').selectAll().where('project_id', '=', projectId).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`AI tool "${key}"`);
  return row;
}

/** One version of a tool (it exists: a tool's row names its newest version, and versions go only with the tool). */
export async function toolVersion(db: Db | Trx, tool: AIToolRow, version = tool.version): Promise<AIToolVersionRow> {
  return db.selectFrom('ai_tool_versions').selectAll().where('tool_id', '=', tool.id).where('version', '=', version).executeTakeFirstOrThrow();
}

export async function toolVersions(db: Db | Trx, toolId: string): Promise<AIToolVersionRow[]> {
  return db.selectFrom('ai_tool_versions').selectAll().where('tool_id', '=', toolId).execute();
}

/** A tool with the version shown of it. */
export interface ShownTool {
  tool: AIToolRow;
  version: AIToolVersionRow;
}

/** The project's tools (or the one with `key`), each with its newest version, read together in one query. */
export async function projectTools(db: Db | Trx, projectId: string, key?: string): Promise<ShownTool[]> {
  let query = db
    .selectFrom('ai_tools as t')
    .innerJoin('ai_tool_versions as v', (join) => join.onRef('v.tool_id', '=', 't.id').onRef('v.version', '=', 't.version'))
    .selectAll('t')
    .select(['v.doc as versionDoc', 'v.created_at as versionCreatedAt'])
    .where('t.project_id', '=', projectId);
  if (key !== undefined) query = query.where('t.key', '=', key);
  const rows = await query.execute();
  return rows.map(({ versionDoc, versionCreatedAt, ...tool }) => ({ tool, version: { tool_id: tool.id, version: tool.version, doc: versionDoc, created_at: versionCreatedAt } }));
}

/** A tool of the project by key with its newest version (404 naming it). */
export async function findShownTool(db: Db | Trx, projectId: string, key: string): Promise<ShownTool> {
  const [shown] = await projectTools(db, projectId, key);
  if (!shown) throw notFound(`AI tool "${key}"`);
  return shown;
}
