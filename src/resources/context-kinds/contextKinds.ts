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

export async function listContextKinds(db: Db | Trx, projectId: string): Promise<{ key: string; doc: ContextKindDoc; lastSeen?: number }[]> {
  const rows = await db.selectFrom('context_kinds').select(['key', 'doc', 'last_seen']).where('project_id', '=', projectId).orderBy('created_at').orderBy('key').execute();
  return rows.map((row) => ({ key: row.key, doc: JSON.parse(row.doc) as ContextKindDoc, ...(row.last_seen != null ? { lastSeen: Number(row.last_seen) } : {}) }));
}

/**
 * The kinds a payload's contexts were of, in its transaction: a kind the project does not have yet is added
 * (`createdFrom: "auto-add"`, as LaunchDarkly adds the kinds SDKs send), and each kind's `lastSeen` moves forward.
 * In key order, so that two payloads lock the kinds' rows in one order; a kind seen again within a minute of its
 * `lastSeen` is not written (and its row not locked), so that an environment's payloads seldom wait on each other.
 */
export async function recordKindsSeen(trx: Trx, projectId: string, seen: ReadonlyMap<string, number>, now: number): Promise<void> {
  for (const kind of [...seen.keys()].sort()) {
    const at = seen.get(kind)!;
    await ensureContextKind(trx, projectId, kind, 'auto-add', now);
    await trx
      .updateTable('context_kinds')
      .set({ last_seen: at })
      .where('project_id', '=', projectId)
      .where('key', '=', kind)
      .where((eb) => eb.or([eb('last_seen', 'is', null), eb('last_seen', '<', at - LAST_SEEN_RESOLUTION_MS)]))
      .execute();
  }
}

/** How stale a kind's `lastSeen` may be before a payload writes it again. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

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

export function representContextKind(projectKey: string, key: string, doc: ContextKindDoc, lastSeen?: number): Record<string, unknown> {
  return {
    key,
    name: doc.name,
    description: doc.description,
    version: doc.version,
    creationDate: doc.creationDate,
    lastModified: doc.lastModified,
    ...(lastSeen !== undefined ? { lastSeen } : {}),
    createdFrom: doc.createdFrom,
    hideInTargeting: doc.hideInTargeting,
    archived: doc.archived,
    _links: { self: link(`/api/v2/projects/${projectKey}/context-kinds/${key}`) },
  };
}
