// Prompt snippets as stored: reusable prompt text a project's AI Config variations include (`{{snippet.key#version}}`),
// each kept as every version of its content (name, description, text, tags): a change to any of them makes a new
// version, and the variations that pin an old one still find it. The maintainer belongs to the snippet, not to a
// version. The request bodies, the lookups and the rules.
import { Type, type Static } from '@sinclair/typebox';
import { notFound } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { Description, Key, Name, Tags } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { PromptSnippetsTable, PromptSnippetVersionsTable } from '../../store/schema.js';
import type { Maintainer } from '../ai-tools/maintainer.js';

export type PromptSnippetRow = PromptSnippetsTable;
export type PromptSnippetVersionRow = PromptSnippetVersionsTable;

/** The snippet's own doc: what every version shares. */
export interface PromptSnippetDoc {
  maintainer?: Maintainer;
}

/** What one version holds. `tags` is absent from the versions made before the 2026-07 spec had them (none). */
export interface PromptSnippetVersionDoc {
  name: string;
  description?: string;
  text: string;
  tags?: string[];
}

const VERSIONED = {
  name: Name,
  description: Type.Optional(Description),
  /** The request body's own limit bounds it. */
  text: Type.String({ minLength: 1 }),
  tags: Type.Optional(Tags),
};
const MAINTAINER = { maintainerId: Type.Optional(Type.String()), maintainerTeamKey: Type.Optional(Type.String()) };

export const PromptSnippetPost = Type.Object({ key: Key, ...VERSIONED, ...MAINTAINER });
export type PromptSnippetPost = Static<typeof PromptSnippetPost>;

/** Each member sent replaces the snippet's; none is required. */
export const PromptSnippetPatch = Type.Object({ ...VERSIONED, name: Type.Optional(Name), text: Type.Optional(VERSIONED.text), ...MAINTAINER });
export type PromptSnippetPatch = Static<typeof PromptSnippetPatch>;

export const SNIPPET_ACTIONS = { create: 'createPromptSnippet', update: 'updatePromptSnippet', delete: 'deletePromptSnippet' } as const;

export function snippetDoc(row: Pick<PromptSnippetRow, 'doc'>): PromptSnippetDoc {
  return JSON.parse(row.doc) as PromptSnippetDoc;
}

export function snippetVersionDoc(row: Pick<PromptSnippetVersionRow, 'doc'>): PromptSnippetVersionDoc {
  return JSON.parse(row.doc) as PromptSnippetVersionDoc;
}

/** The version a body makes of `current`: each versioned member it sends replaces the current one (tags are `[]` until sent). */
export function nextSnippetVersionDoc(current: PromptSnippetVersionDoc, body: PromptSnippetPatch): PromptSnippetVersionDoc {
  const next: PromptSnippetVersionDoc = { ...current, tags: current.tags ?? [] };
  if (body.name !== undefined) next.name = body.name;
  if (body.description !== undefined) next.description = body.description;
  if (body.text !== undefined) next.text = body.text;
  if (body.tags !== undefined) next.tags = body.tags;
  return next;
}

/** Whether two versions hold different content: only then does an update make a new version. */
export function differs(a: PromptSnippetVersionDoc, b: PromptSnippetVersionDoc): boolean {
  return a.name !== b.name || a.description !== b.description || a.text !== b.text || !deepEqual(a.tags ?? [], b.tags ?? []);
}

/** A snippet of the project by key (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findSnippet(db: Db | Trx, projectId: string, key: string, lock?: Pick<Store, 'kind'>): Promise<PromptSnippetRow> {
  let query = db.selectFrom('prompt_snippets').selectAll().where('project_id', '=', projectId).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Prompt snippet "${key}"`);
  return row;
}

/** One version of a snippet (it exists: a snippet's row names its newest version, and versions go only with the snippet). */
export async function snippetVersion(db: Db | Trx, snippet: PromptSnippetRow, version = snippet.version): Promise<PromptSnippetVersionRow> {
  return db.selectFrom('prompt_snippet_versions').selectAll().where('snippet_id', '=', snippet.id).where('version', '=', version).executeTakeFirstOrThrow();
}

/** Every version of a snippet, newest first (the order listPromptSnippetVersions' description gives). */
export async function snippetVersions(db: Db | Trx, snippetId: string): Promise<PromptSnippetVersionRow[]> {
  return db.selectFrom('prompt_snippet_versions').selectAll().where('snippet_id', '=', snippetId).orderBy('version', 'desc').execute();
}

/** A snippet with the version shown of it. */
export interface ShownSnippet {
  snippet: PromptSnippetRow;
  version: PromptSnippetVersionRow;
}

/** The project's snippets (or the one with `key`), each with its newest version, read together in one query. */
export async function projectSnippets(db: Db | Trx, projectId: string, key?: string): Promise<ShownSnippet[]> {
  let query = db
    .selectFrom('prompt_snippets as s')
    .innerJoin('prompt_snippet_versions as v', (join) => join.onRef('v.snippet_id', '=', 's.id').onRef('v.version', '=', 's.version'))
    .selectAll('s')
    .select(['v.doc as versionDoc', 'v.created_at as versionCreatedAt'])
    .where('s.project_id', '=', projectId);
  if (key !== undefined) query = query.where('s.key', '=', key);
  const rows = await query.execute();
  return rows.map(({ versionDoc, versionCreatedAt, ...snippet }) => ({ snippet, version: { snippet_id: snippet.id, version: snippet.version, doc: versionDoc, created_at: versionCreatedAt } }));
}

/** A snippet of the project by key with its newest version (404 naming it). */
export async function findShownSnippet(db: Db | Trx, projectId: string, key: string): Promise<ShownSnippet> {
  const [shown] = await projectSnippets(db, projectId, key);
  if (!shown) throw notFound(`Prompt snippet "${key}"`);
  return shown;
}
