// Projects: the stored shape, lookups that 404 with the key named, and the representation LaunchDarkly returns.
import type { Db, Store, Trx } from '../../store/db.js';
import { notFound } from '../../http/errors.js';
import { link } from '../../http/links.js';
import type { StoredFlagDefaults } from './flagDefaults.js';

export interface ProjectDoc {
  includeInSnippetByDefault: boolean;
  defaultClientSideAvailability: { usingMobileKey: boolean; usingEnvironmentId: boolean };
  tags: string[];
  namingConvention?: { case?: string; prefix?: string };
  /** Set by the flag-defaults routes; absent, a project has LaunchDarkly's defaults (flagDefaults.ts). */
  flagDefaults?: StoredFlagDefaults;
  /** The project's default release pipeline (release-pipelines/model.ts): its first, or the one made or set default since. */
  defaultReleasePipelineKey?: string;
  /** Views' "Require new resources to be linked to views" settings; absent is false. */
  requireViewAssociationForNewFlags?: boolean;
  requireViewAssociationForNewSegments?: boolean;
}

/** The casings a project's naming convention may enforce on new flag keys (NamingConvention.case). */
export const NAMING_CASES = ['camelCase', 'upperCamelCase', 'snakeCase', 'kebabCase', 'constantCase'] as const;

const CASE_PATTERNS: Record<(typeof NAMING_CASES)[number], RegExp> = {
  camelCase: /^[a-z][a-zA-Z0-9]*$/,
  upperCamelCase: /^[A-Z][a-zA-Z0-9]*$/,
  snakeCase: /^[a-z0-9]+(_[a-z0-9]+)*$/,
  kebabCase: /^[a-z0-9]+(-[a-z0-9]+)*$/,
  constantCase: /^[A-Z0-9]+(_[A-Z0-9]+)*$/,
};

/** Why a new flag key breaks the project's naming convention (its casing, its prefix), or undefined when it keeps it. */
export function namingConventionProblem(convention: ProjectDoc['namingConvention'], key: string): string | undefined {
  if (!convention) return undefined;
  const casing = convention.case as (typeof NAMING_CASES)[number] | undefined;
  const problems = [
    ...(casing && CASE_PATTERNS[casing] && !CASE_PATTERNS[casing].test(key) ? [`be in ${casing}`] : []),
    ...(convention.prefix && !key.startsWith(convention.prefix) ? [`start with "${convention.prefix}"`] : []),
  ];
  return problems.length === 0 ? undefined : `must ${problems.join(' and ')}: the project's naming convention for flag keys`;
}

export interface ProjectRow {
  id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

export async function findProject(db: Db | Trx, key: string): Promise<ProjectRow> {
  const row = await db.selectFrom('projects').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) throw notFound(`Project "${key}"`);
  return row;
}

/**
 * On PostgreSQL, locks the project row until the transaction ends. Writes that add to a project's child
 * collections (environments, context kinds, settings) serialize on it: rows that do not exist yet cannot be
 * locked, and without it two such writes race to insert the same row (a unique violation, so a 500).
 */
export async function lockProject(trx: Trx, store: Store, projectId: string): Promise<void> {
  if (store.kind === 'postgres') await trx.selectFrom('projects').select('id').where('id', '=', projectId).forUpdate().execute();
}

export function representProject(row: ProjectRow, environments?: unknown): Record<string, unknown> {
  const doc = JSON.parse(row.doc) as ProjectDoc;
  const rep: Record<string, unknown> = {
    _links: { environments: link(`/api/v2/projects/${row.key}/environments`), self: link(`/api/v2/projects/${row.key}`) },
    _id: row.id,
    key: row.key,
    includeInSnippetByDefault: doc.includeInSnippetByDefault,
    defaultClientSideAvailability: doc.defaultClientSideAvailability,
    name: row.name,
    tags: doc.tags,
  };
  if (doc.defaultReleasePipelineKey !== undefined) rep.defaultReleasePipelineKey = doc.defaultReleasePipelineKey;
  rep.requireViewAssociationForNewFlags = doc.requireViewAssociationForNewFlags ?? false;
  rep.requireViewAssociationForNewSegments = doc.requireViewAssociationForNewSegments ?? false;
  if (environments !== undefined) rep.environments = environments;
  return rep;
}
