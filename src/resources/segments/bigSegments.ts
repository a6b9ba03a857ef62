// Big segments' targets (big_segment_targets): the checks that set big segments apart from standard ones, the bulk
// writes of updateBigSegmentContextTargets, and the membership reads of the REST API and of iterlab's evaluation.
import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'kysely';
import { invalidRequest, validationFailed, type FieldError } from '../../http/errors.js';
import type { Db, Trx } from '../../store/db.js';
import { compareText } from '../../store/reads.js';
import type { LoadedSegment, SegmentDoc } from './model.js';

const TargetKeys = Type.Array(Type.String({ minLength: 1, maxLength: 1024 }));
const SegmentUserList = Type.Object({ add: Type.Optional(TargetKeys), remove: Type.Optional(TargetKeys) });
/** The body of updateBigSegmentContextTargets and updateBigSegmentTargets (LaunchDarkly's SegmentUserState). */
export const SegmentUserState = Type.Object({ included: Type.Optional(SegmentUserList), excluded: Type.Optional(SegmentUserList) });
export type SegmentUserState = Static<typeof SegmentUserState>;

type Side = 'included' | 'excluded';
const SIDES: Side[] = ['included', 'excluded'];

export interface BigSegmentChanges {
  included: { add: string[]; remove: string[] };
  excluded: { add: string[]; remove: string[] };
}

/** A context key's place in a big segment (LaunchDarkly's BigSegmentTarget, less the key). */
export interface BigSegmentTarget {
  included: boolean;
  excluded: boolean;
}

/** The context kind a big segment lists by default, as LaunchDarkly (and Terraform's unbounded_context_kind) has it. */
export const DEFAULT_UNBOUNDED_CONTEXT_KIND = 'user';

/**
 * Rows a statement writes at once: SQLite takes at most 32,766 parameters a statement and PostgreSQL 65,535; each row
 * is three, and each removed key one.
 */
const INSERT_CHUNK = 5000;
const DELETE_CHUNK = 10000;

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/**
 * The body's changes, keys once each. A key both added to and removed from one list is refused: which of the two
 * the client meant cannot be told.
 */
export function readBigSegmentChanges(body: SegmentUserState): BigSegmentChanges {
  const errors: FieldError[] = [];
  const changes = {} as BigSegmentChanges;
  for (const side of SIDES) {
    const add = [...new Set(body[side]?.add ?? [])];
    const remove = [...new Set(body[side]?.remove ?? [])];
    const added = new Set(add);
    remove.forEach((key) => {
      if (added.has(key)) errors.push({ attribute: `${side}.remove`, reason: `"${key}" is also in ${side}.add; a key cannot be added and removed at once` });
    });
    changes[side] = { add, remove };
  }
  if (errors.length > 0) throw validationFailed(errors);
  return changes;
}

export function changeCount(changes: BigSegmentChanges): number {
  return SIDES.reduce((n, side) => n + changes[side].add.length + changes[side].remove.length, 0);
}

/** A big-segment operation on a standard segment: a 400 naming the segment and the operation. */
export function requireBigSegment(segment: LoadedSegment, operation: string, userKeys: boolean): void {
  const { row, doc } = segment;
  if (!doc.unbounded) {
    throw invalidRequest(`segment "${row.key}" is a standard segment; ${operation} applies only to big segments (unbounded: true). Change a standard segment's targets with patchSegment`);
  }
  if (userKeys && doc.unboundedContextKind !== 'user') {
    throw invalidRequest(
      `big segment "${row.key}" targets "${doc.unboundedContextKind}" contexts; ${operation} is for big segments of user contexts: use the …/contexts form of the operation`,
    );
  }
}

/** The fields of a standard segment a big segment's document must leave empty, with how its targets change instead. */
export function checkBigSegmentFields(doc: SegmentDoc, errors: FieldError[]): void {
  if (!doc.unbounded) return;
  const lists = ['included', 'excluded', 'includedContexts', 'excludedContexts', 'rules'] as const;
  for (const field of lists) {
    if (doc[field].length === 0) continue;
    const instead = field === 'rules' ? 'a big segment has no rules' : 'a big segment\'s targets are changed with updateBigSegmentContextTargets (POST …/contexts)';
    errors.push({ attribute: field, reason: `must be empty on a big segment (unbounded: true): ${instead}` });
  }
}

/** Applies the changes to the segment's rows in the caller's transaction, in statements of bounded size. */
export async function writeBigSegmentTargets(trx: Trx, segmentId: string, changes: BigSegmentChanges): Promise<void> {
  for (const side of SIDES) {
    for (const keys of chunks(changes[side].remove, DELETE_CHUNK)) {
      await trx.deleteFrom('big_segment_targets').where('segment_id', '=', segmentId).where('side', '=', side).where('context_key', 'in', keys).execute();
    }
    for (const keys of chunks(changes[side].add, INSERT_CHUNK)) {
      await trx
        .insertInto('big_segment_targets')
        .values(keys.map((key) => ({ segment_id: segmentId, context_key: key, side })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}

/**
 * The keys the changes would leave on both sides: each key one side gains that the other keeps (it has it and does
 * not lose it here, or gains it too).
 */
export async function keysOnBothSides(db: Db | Trx, segmentId: string, changes: BigSegmentChanges): Promise<string[]> {
  const both = new Set<string>();
  for (const [side, other] of [['included', 'excluded'], ['excluded', 'included']] as const) {
    const gained = changes[side].add;
    if (gained.length === 0) continue;
    const leaving = new Set(changes[other].remove);
    for (const key of changes[other].add) if (gained.includes(key)) both.add(key);
    for (const keys of chunks(gained, DELETE_CHUNK)) {
      const rows = await db.selectFrom('big_segment_targets').select('context_key').where('segment_id', '=', segmentId).where('side', '=', other).where('context_key', 'in', keys).execute();
      for (const row of rows) if (!leaving.has(row.context_key)) both.add(row.context_key);
    }
  }
  return [...both].sort();
}

/** The keys listed on one side of the segment, in key order (an export's file; what a replacing import replaces). */
export async function bigSegmentKeys(db: Db | Trx, segmentId: string, side: Side): Promise<string[]> {
  const rows = await db.selectFrom('big_segment_targets').select('context_key').where('segment_id', '=', segmentId).where('side', '=', side).execute();
  // Sorted here, by code unit: PostgreSQL's collation would order them otherwise than SQLite.
  return rows.map((row) => row.context_key).sort(compareText);
}

/** Whether the segment includes and excludes the key. */
export async function bigSegmentTarget(db: Db, segmentId: string, contextKey: string): Promise<BigSegmentTarget> {
  const rows = await db.selectFrom('big_segment_targets').select('side').where('segment_id', '=', segmentId).where('context_key', '=', contextKey).execute();
  return targetOf(rows.map((row) => row.side));
}

/** A key's place from the sides it is listed on. */
function targetOf(sides: readonly string[]): BigSegmentTarget {
  return { included: sides.includes('included'), excluded: sides.includes('excluded') };
}

/** A cloned environment's copy of a big segment gets the source's targets (one statement, in the caller's transaction). */
export async function copyBigSegmentTargets(trx: Trx, sourceSegmentId: string, segmentId: string): Promise<void> {
  await trx
    .insertInto('big_segment_targets')
    .columns(['segment_id', 'context_key', 'side'])
    .expression(
      trx
        .selectFrom('big_segment_targets')
        .select([sql<string>`cast(${segmentId} as text)`.as('segment_id'), 'context_key', 'side'])
        .where('segment_id', '=', sourceSegmentId),
    )
    .execute();
}

/** A big segment of an environment, as evaluation looks its targets up. */
export interface BigSegmentRef {
  key: string;
  id: string;
  contextKind: string;
}

/** The big segments among the environment's segments. */
export function bigSegmentRefs(segments: readonly LoadedSegment[]): BigSegmentRef[] {
  return segments.filter(({ doc }) => doc.unbounded).map(({ row, doc }) => ({ key: row.key, id: row.id, contextKind: doc.unboundedContextKind ?? DEFAULT_UNBOUNDED_CONTEXT_KIND }));
}

/** A context's place in each big segment that lists a key of it, by segment key. */
export type BigSegmentMembership = ReadonlyMap<string, BigSegmentTarget>;

/** The context's membership of the environment's big segments, in one statement; none without big segments. */
export async function bigSegmentMembership(db: Db, refs: readonly BigSegmentRef[], kinds: Map<string, Record<string, unknown>>): Promise<BigSegmentMembership> {
  const wanted = refs.flatMap((ref) => {
    const key = kinds.get(ref.contextKind)?.key;
    return typeof key === 'string' ? [{ ref, key }] : [];
  });
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('big_segment_targets')
    .select(['segment_id', 'context_key', 'side'])
    .where((eb) => eb.or(wanted.map(({ ref, key }) => eb.and([eb('segment_id', '=', ref.id), eb('context_key', '=', key)]))))
    .execute();
  const membership = new Map<string, BigSegmentTarget>();
  for (const { ref } of wanted) {
    const sides = rows.filter((row) => row.segment_id === ref.id).map((row) => row.side);
    if (sides.length > 0) membership.set(ref.key, targetOf(sides));
  }
  return membership;
}
