// The stored context instances (migration 014): written with each events payload, read by the Contexts API.
import { sql } from 'kysely';
import type { Db, Store, Trx } from '../../store/db.js';
import { compareText, PAGE_ROWS, yieldTurn } from '../../store/reads.js';
import { instanceIdOf, type KindKey, type SeenInstance } from './instances.js';



/** Rows an insert carries: 5 parameters each. */
const ROWS_PER_INSERT = 500;

/** A recorded instance: as seen last, with what orders records seen at the same moment (the instance and the application). */
export interface StoredInstance extends SeenInstance {
  rowId: string;
}

interface InstanceDoc {
  context: Record<string, unknown>;
  anonymousKinds?: string[];
  kinds: KindKey[];
}

/**
 * Records a payload's instances in its transaction: each (instance, application) once, its attributes and time
 * replaced by ones seen at the same time or later (payloads can arrive out of order), and a multi-context's kind/key
 * pairs. Rows are written in key order, so that two payloads sharing contexts lock them in the same order (on
 * PostgreSQL, in another order they deadlock).
 */
export async function recordInstances(trx: Trx, environmentId: string, seen: readonly SeenInstance[]): Promise<void> {
  const ordered = [...seen].sort((a, b) => compareText(a.instanceId, b.instanceId) || compareText(a.applicationId, b.applicationId));
  for (let i = 0; i < ordered.length; i += ROWS_PER_INSERT) {
    const chunk = ordered.slice(i, i + ROWS_PER_INSERT);
    await trx
      .insertInto('context_instances')
      .values(
        chunk.map((s) => {
          const doc: InstanceDoc = { context: s.context, kinds: s.kinds, ...(s.anonymousKinds.length > 0 ? { anonymousKinds: s.anonymousKinds } : {}) };
          return { environment_id: environmentId, instance_id: s.instanceId, application_id: s.applicationId, doc: JSON.stringify(doc), last_seen: s.lastSeen };
        }),
      )
      .onConflict((oc) =>
        oc
          .columns(['environment_id', 'instance_id', 'application_id'])
          .doUpdateSet((eb) => ({ doc: eb.ref('excluded.doc'), last_seen: eb.ref('excluded.last_seen') }))
          .whereRef('context_instances.last_seen', '<=', 'excluded.last_seen'),
      )
      .execute();
    const kinds = chunk.flatMap((s) => (s.kinds.length > 1 ? s.kinds.map(({ kind, key }) => ({ environment_id: environmentId, instance_id: s.instanceId, kind, key })) : []));
    for (let j = 0; j < kinds.length; j += ROWS_PER_INSERT) {
      await trx
        .insertInto('context_instance_kinds')
        .values(kinds.slice(j, j + ROWS_PER_INSERT))
        .onConflict((oc) => oc.columns(['environment_id', 'instance_id', 'kind']).doNothing())
        .execute();
    }
  }
}

type Row = { instance_id: string; application_id: string; doc: string; last_seen: number | string };

function parse(row: Row): StoredInstance {
  const doc = JSON.parse(row.doc) as InstanceDoc;
  return {
    rowId: `${row.instance_id}\u0000${row.application_id}`,
    instanceId: row.instance_id,
    applicationId: row.application_id,
    context: doc.context,
    anonymousKinds: doc.anonymousKinds ?? [],
    kinds: doc.kinds,
    lastSeen: Number(row.last_seen),
  };
}

const COLUMNS = ['instance_id', 'application_id', 'doc', 'last_seen'] as const;

/**
 * Every instance of the environment (the searches filter on attributes, which only the documents hold). On SQLite
 * a page at a time, in key order, with a turn of the event loop between pages: there a read holds the event
 * loop, and one read of 50,000 records held every other request for ~0.25 s. PostgreSQL's read does not hold it, and
 * paging it doubled a search's time (bench/README.md).
 */
export async function allInstances({ db, kind }: Pick<Store, 'db' | 'kind'>, environmentId: string): Promise<StoredInstance[]> {
  if (kind !== 'sqlite') return (await db.selectFrom('context_instances').select(COLUMNS).where('environment_id', '=', environmentId).execute()).map(parse);
  const out: StoredInstance[] = [];
  let after: [string, string] | undefined;
  for (;;) {
    let query = db.selectFrom('context_instances').select(COLUMNS).where('environment_id', '=', environmentId);
    if (after) query = query.where(sql<boolean>`("instance_id", "application_id") > (${after[0]}, ${after[1]})`);
    const rows = await query.orderBy('instance_id').orderBy('application_id').limit(PAGE_ROWS).execute();
    for (const row of rows) out.push(parse(row));
    if (rows.length < PAGE_ROWS) return out;
    after = [rows[rows.length - 1].instance_id, rows[rows.length - 1].application_id];
    await yieldTurn();
  }
}


/**
 * The instance id a path names: the id itself, or a fully qualified key (`org:launchdarkly`, as some of
 * LaunchDarkly's links write it) when no instance has that id.
 */
export async function resolveInstanceId(db: Db | Trx, environmentId: string, id: string): Promise<string> {
  return (await recordsNamed(db, environmentId, id)).instanceId;
}

/** The instances an id (or fully qualified key) names: one per application. */
export async function instancesOfId(db: Db, environmentId: string, id: string): Promise<StoredInstance[]> {
  return (await recordsNamed(db, environmentId, id)).rows.map(parse);
}

/** The records of the id a path names (resolveInstanceId), read with those of the other reading in one statement. */
async function recordsNamed(db: Db | Trx, environmentId: string, id: string): Promise<{ instanceId: string; rows: Row[] }> {
  const encoded = Buffer.from(id, 'utf8').toString('base64url');
  const rows = await db.selectFrom('context_instances').select(COLUMNS).where('environment_id', '=', environmentId).where('instance_id', 'in', [id, encoded]).execute();
  const instanceId = rows.some((row) => row.instance_id === id) || !rows.some((row) => row.instance_id === encoded) ? id : encoded;
  return { instanceId, rows: rows.filter((row) => row.instance_id === instanceId) };
}

/**
 * The instances a context (kind and key) is part of: its own (alone), and the multi-contexts it came in. The
 * multi-contexts' ids are read first, by the kinds' index, then their records: joined in one statement, SQLite (which
 * keeps no statistics) read every instance of the environment to find them.
 */
export async function instancesOfContext(db: Db, environmentId: string, context: KindKey): Promise<StoredInstance[]> {
  const ids = [instanceIdOf([context]), ...(await multiContextIds(db, environmentId, context))];
  const rows = await db.selectFrom('context_instances').select(COLUMNS).where('environment_id', '=', environmentId).where('instance_id', 'in', ids).execute();
  return rows.map(parse);
}

/** The ids of the multi-context instances a context (kind and key) came in, by the kinds' index. */
export async function multiContextIds(db: Db | Trx, environmentId: string, context: KindKey): Promise<string[]> {
  const rows = await db.selectFrom('context_instance_kinds').select('instance_id').where('environment_id', '=', environmentId).where('kind', '=', context.kind).where('key', '=', context.key).execute();
  return rows.map((row) => row.instance_id);
}

/** Forgets an instance (from every application); how many records it had. */
export async function deleteInstance(trx: Trx, environmentId: string, instanceId: string): Promise<number> {
  const deleted = await trx.deleteFrom('context_instances').where('environment_id', '=', environmentId).where('instance_id', '=', instanceId).executeTakeFirst();
  await trx.deleteFrom('context_instance_kinds').where('environment_id', '=', environmentId).where('instance_id', '=', instanceId).execute();
  return Number(deleted.numDeletedRows ?? 0);
}
