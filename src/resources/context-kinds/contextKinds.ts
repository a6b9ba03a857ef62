// Context kinds of a project: `user` exists from the start; others are added by hand or when first referenced.
import type { Db, Trx } from '../../store/db.js';
import { link } from '../../http/links.js';
import { KEY_PATTERN } from '../../http/schemas.js';

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
 * Kinds whose key the REST API would refuse (a first character other than a letter or digit) are not added, nor more
 * than MAX_NEW_KINDS a payload or MAX_KINDS a project (a client-side ID is public: anyone may send events). Writes go
 * in key order, so that two payloads lock the kinds' rows in one order; a kind seen again within a minute of its
 * `lastSeen` is not written (nor its row locked), so that a project's payloads seldom wait on each other.
 */
export async function recordKindsSeen(trx: Trx, projectId: string, seen: ReadonlyMap<string, number>, now: number): Promise<void> {
  const keys = [...seen.keys()].filter((key) => KEY.test(key)).sort();
  if (keys.length === 0) return;
  const known = new Map(
    (await trx.selectFrom('context_kinds').select(['key', 'last_seen']).where('project_id', '=', projectId).where('key', 'in', keys).execute()).map((row) => [row.key, row.last_seen == null ? undefined : Number(row.last_seen)]),
  );
  let room = 0;
  if (keys.some((key) => !known.has(key))) {
    const { n } = await trx.selectFrom('context_kinds').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', projectId).executeTakeFirstOrThrow();
    room = Math.min(MAX_NEW_KINDS, MAX_KINDS - Number(n));
  }
  for (const key of keys) {
    const at = seen.get(key)!;
    if (!known.has(key)) {
      if (room <= 0) continue;
      room -= 1;
      await ensureContextKind(trx, projectId, key, 'auto-add', now);
    } else if (known.get(key) !== undefined && known.get(key)! >= at - LAST_SEEN_RESOLUTION_MS) {
      continue;
    }
    await trx
      .updateTable('context_kinds')
      .set({ last_seen: at })
      .where('project_id', '=', projectId)
      .where('key', '=', key)
      .where((eb) => eb.or([eb('last_seen', 'is', null), eb('last_seen', '<', at - LAST_SEEN_RESOLUTION_MS)]))
      .execute();
  }
}

const KEY = new RegExp(KEY_PATTERN);
/** How stale a kind's `lastSeen` may be before a payload writes it again. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
/** The most kinds one events payload adds, and the most a project gets from events. */
const MAX_NEW_KINDS = 20;
const MAX_KINDS = 1_000;

/** Adds the kinds the project lacks, `auto-add` as the SDKs' kinds are; the kinds it has are left as they are. */
async function addContextKinds(trx: Trx, projectId: string, keys: readonly string[], now: number): Promise<void> {
  const existing = new Set((await trx.selectFrom('context_kinds').select('key').where('project_id', '=', projectId).where('key', 'in', keys).execute()).map((row) => row.key));
  for (const key of keys) if (!existing.has(key) && KEY.test(key)) await ensureContextKind(trx, projectId, key, 'auto-add', now);
}

/**
 * After a write of targeting (a flag's, a segment's): the kinds it names now that it did not before, added to the
 * project unless it has them, as LaunchDarkly adds the kinds targeting names (the Terraform provider's acceptance
 * test: targeting a new kind "should simply create a new context kind on the project"). Kinds named before are
 * left alone, so a write that names no new kind reads nothing.
 */
export async function addNewlyTargetedKinds(trx: Trx, projectId: string, before: ReadonlySet<string>, after: ReadonlySet<string>, now: number): Promise<void> {
  const named = [...after].filter((kind) => !before.has(kind));
  if (named.length > 0) await addContextKinds(trx, projectId, named, now);
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
