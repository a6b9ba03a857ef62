// Context kinds of a project: `user` exists from the start; others are added by hand or when first referenced.
import type { Db, Trx } from '../../store/db.js';
import { link } from '../../http/links.js';

export interface ContextKindDoc {
  name: string;
  description: string;
  version: number;
  creationDate: number;
  lastModified: number;
  createdFrom: 'default' | 'auto-add' | 'manual';
  hideInTargeting: boolean;
  archived: boolean;
}

export function displayName(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

export async function listContextKinds(db: Db | Trx, projectId: string): Promise<{ key: string; doc: ContextKindDoc }[]> {
  const rows = await db.selectFrom('context_kinds').select(['key', 'doc']).where('project_id', '=', projectId).orderBy('created_at').orderBy('key').execute();
  return rows.map((row) => ({ key: row.key, doc: JSON.parse(row.doc) as ContextKindDoc }));
}

/** Creates the context kind unless it exists (also when a concurrent write just created it); true when created. */
export async function ensureContextKind(trx: Trx, projectId: string, key: string, createdFrom: ContextKindDoc['createdFrom'], now: number): Promise<boolean> {
  const doc: ContextKindDoc = {
    name: displayName(key),
    description: '',
    version: 1,
    creationDate: now,
    lastModified: now,
    createdFrom,
    hideInTargeting: false,
    archived: false,
  };
  const result = await trx
    .insertInto('context_kinds')
    .values({ project_id: projectId, key, doc: JSON.stringify(doc), created_at: now })
    .onConflict((oc) => oc.columns(['project_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function representContextKind(projectKey: string, key: string, doc: ContextKindDoc): Record<string, unknown> {
  return {
    key,
    name: doc.name,
    description: doc.description,
    version: doc.version,
    creationDate: doc.creationDate,
    lastModified: doc.lastModified,
    createdFrom: doc.createdFrom,
    hideInTargeting: doc.hideInTargeting,
    archived: doc.archived,
    _links: { self: link(`/api/v2/projects/${projectKey}/context-kinds/${key}`) },
  };
}
