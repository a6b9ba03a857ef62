// The stored shape of a segment (environment-scoped, one JSON document a row) and how to load and save it.
import { notFound, type FieldError } from '../../http/errors.js';
import type { Db, DbKind, Trx } from '../../store/db.js';
import { hex32, objectId } from '../../store/ids.js';
import type { Clause } from '../flags/model.js';
import { copyBigSegmentTargets } from './bigSegments.js';

/** Context keys of one kind, included in or excluded from a segment. */
/** A segment by its keys. */
export interface SegmentPlace {
  projectKey: string;
  environmentKey: string;
  segmentKey: string;
}

/** The segment's resource specifier, as audit entries, custom roles and approval requests' `resourceId` name it. */
export function segmentResourceId(place: SegmentPlace): string {
  return `proj/${place.projectKey}:env/${place.environmentKey}:segment/${place.segmentKey}`;
}

export interface SegmentTarget {
  contextKind: string;
  values: string[];
}

export interface SegmentRule {
  _id: string;
  clauses: Clause[];
  /** Thousandths of a percent (0–100000) of the contexts the clauses match that are in the segment. */
  weight?: number;
  rolloutContextKind?: string;
  bucketBy?: string;
  description?: string;
}

export interface SegmentDoc {
  name: string;
  description?: string;
  tags: string[];
  creationDate: number;
  lastModifiedDate: number;
  /** User keys (the legacy lists); other context kinds are in includedContexts / excludedContexts. */
  included: string[];
  excluded: string[];
  includedContexts: SegmentTarget[];
  excludedContexts: SegmentTarget[];
  rules: SegmentRule[];
  /** Grows by one with every change: SDKs apply a segment only above the version they hold. */
  version: number;
  /** Hashed with the segment key to bucket a rule's `weight`, as LaunchDarkly does; never shown by the REST API. */
  salt: string;
  /**
   * A big segment (LaunchDarkly's `unbounded`): its targets are rows of big_segment_targets (bigSegments.ts), keys of
   * `unboundedContextKind` contexts; its lists and rules stay empty. Absent on standard segments.
   */
  unbounded?: true;
  unboundedContextKind?: string;
  /** How many times the segment has been created (LaunchDarkly's words); SDK stores key membership by it. */
  generation?: number;
}

export interface SegmentRow {
  id: string;
  environment_id: string;
  key: string;
  name: string;
  doc: string;
  created_at: number;
}

export interface LoadedSegment {
  row: SegmentRow;
  doc: SegmentDoc;
}

function loaded(row: SegmentRow): LoadedSegment {
  return { row, doc: JSON.parse(row.doc) as SegmentDoc };
}

export interface SegmentScope {
  projectKey: string;
  environmentKey: string;
  environmentId: string;
}

/** One segment of the environment, or a 404 naming it; on PostgreSQL `lock` holds its row until commit (as findMetric). */
export async function findSegment(db: Db | Trx, scope: SegmentScope, key: string, lock?: DbKind): Promise<LoadedSegment> {
  let query = db.selectFrom('segments').selectAll().where('environment_id', '=', scope.environmentId).where('key', '=', key);
  if (lock === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Segment "${key}" in environment "${scope.environmentKey}" of project "${scope.projectKey}"`);
  return loaded(row);
}

/** The environment's segments, by key. */
export async function listSegments(db: Db | Trx, environmentId: string): Promise<LoadedSegment[]> {
  const rows = await db.selectFrom('segments').selectAll().where('environment_id', '=', environmentId).orderBy('key').execute();
  return rows.map(loaded);
}

/** The keys of the environment's segments among `keys`. */
export async function existingSegmentKeys(db: Db | Trx, environmentId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('segments').select('key').where('environment_id', '=', environmentId).where('key', 'in', keys).execute();
  return new Set(rows.map((row) => row.key));
}

/** Every context kind a segment's targeting names: its targets', its rules' clauses' and rollouts', a big segment's. */
export function segmentKinds(doc: SegmentDoc): Set<string> {
  return new Set([
    ...doc.includedContexts.map((target) => target.contextKind),
    ...doc.excludedContexts.map((target) => target.contextKind),
    ...(doc.included.length > 0 || doc.excluded.length > 0 ? ['user'] : []),
    ...doc.rules.flatMap((rule) => [
      ...rule.clauses.filter((clause) => clause.op !== 'segmentMatch').map((clause) => clause.contextKind ?? 'user'),
      ...(rule.rolloutContextKind ? [rule.rolloutContextKind] : []),
    ]),
    ...(doc.unboundedContextKind ? [doc.unboundedContextKind] : []),
  ]);
}

export async function saveSegment(trx: Trx, id: string, doc: SegmentDoc): Promise<void> {
  await trx.updateTable('segments').set({ name: doc.name, doc: JSON.stringify(doc) }).where('id', '=', id).execute();
}

/** The segment keys a flag's targeting matches on (`segmentMatch` clauses of its rules). */
export function segmentKeysOf(rules: readonly { clauses: readonly Clause[] }[]): string[] {
  const keys = new Set<string>();
  for (const rule of rules) {
    for (const clause of rule.clauses) {
      if (clause.op !== 'segmentMatch') continue;
      for (const value of clause.values) if (typeof value === 'string') keys.add(value);
    }
  }
  return [...keys];
}

/**
 * The lock (lockNames) that a write adding a `segmentMatch` reference in the environment (a flag's rule or a segment's)
 * and the deletion of a segment there both take: the delete then sees the reference, or the write the segment gone.
 * Segment writes adding one are also serialized by it, so that two of them cannot close a cycle unseen.
 */
export const segmentReferencesLock = (environmentId: string): string => `segment references in environment ${environmentId}`;

/** Whether `after`'s rules match on a segment that `before`'s did not. */
export function addsSegmentReference(before: readonly { clauses: readonly Clause[] }[], after: readonly { clauses: readonly Clause[] }[]): boolean {
  const old = new Set(segmentKeysOf(before));
  return segmentKeysOf(after).some((key) => !old.has(key));
}

/** Flags of the project whose targeting in the environment matches on the segment, by key. */
export async function flagsUsingSegment(db: Db | Trx, environmentId: string, segmentKey: string): Promise<{ key: string; name: string }[]> {
  // The clause's values are inside the JSON document: a LIKE narrows the rows, and the parse below decides.
  const rows = await db
    .selectFrom('flag_configs')
    .innerJoin('flags', 'flags.id', 'flag_configs.flag_id')
    .select(['flags.key', 'flags.name', 'flag_configs.doc'])
    .where('flag_configs.environment_id', '=', environmentId)
    .where('flag_configs.doc', 'like', '%segmentMatch%')
    .orderBy('flags.key')
    .execute();
  return rows
    .filter((row) => segmentKeysOf((JSON.parse(row.doc) as { rules: { clauses: Clause[] }[] }).rules).includes(segmentKey))
    .map((row) => ({ key: row.key, name: row.name }));
}

/** The environment's other segments whose rules match on this one (a `segmentMatch` clause naming it). */
export async function segmentsUsingSegment(db: Db | Trx, environmentId: string, segmentKey: string): Promise<string[]> {
  return (await listSegments(db, environmentId)).filter(({ row, doc }) => row.key !== segmentKey && segmentKeysOf(doc.rules).includes(segmentKey)).map(({ row }) => row.key);
}

/**
 * What is wrong with the segments `doc`'s rules match on (`segmentMatch`), as the environment holds them once `key`
 * is `doc`: a segment that does not exist, the segment itself, or a chain that comes back to it. The SDKs evaluate a
 * flag that reaches such a cycle as malformed, so it is refused where it would be made.
 */
export async function segmentReferenceProblems(db: Db | Trx, environmentId: string, key: string, doc: Pick<SegmentDoc, 'rules'>): Promise<FieldError[]> {
  if (segmentKeysOf(doc.rules).length === 0) return [];
  const rulesByKey = new Map<string, SegmentDoc['rules']>((await listSegments(db, environmentId)).map(({ row, doc: other }) => [row.key, other.rules]));
  rulesByKey.set(key, doc.rules);
  // The chain from `start` back to `key`, if any.
  const loopFrom = (start: string, path: string[], seen: Set<string>): string[] | undefined => {
    if (start === key) return path;
    if (seen.has(start)) return undefined;
    seen.add(start);
    for (const next of segmentKeysOf(rulesByKey.get(start) ?? [])) {
      const found = loopFrom(next, [...path, next], seen);
      if (found) return found;
    }
    return undefined;
  };
  const errors: FieldError[] = [];
  doc.rules.forEach((rule, i) =>
    rule.clauses.forEach((clause, j) => {
      if (clause.op !== 'segmentMatch') return;
      clause.values.forEach((value, k) => {
        const at = `rules[${i}].clauses[${j}].values[${k}]`;
        if (typeof value !== 'string' || !rulesByKey.has(value)) errors.push({ attribute: at, reason: `unknown segment ${JSON.stringify(value)} in this environment` });
        else if (value === key) errors.push({ attribute: at, reason: 'a segment cannot match on itself' });
        else {
          const loop = loopFrom(value, [key, value], new Set());
          if (loop) errors.push({ attribute: at, reason: `would make a cycle of segments (${loop.join(' -> ')}), which SDKs cannot evaluate` });
        }
      });
    }),
  );
  return errors;
}

/**
 * A cloned environment gets copies of the source's segments (version 1, new salts keep their buckets apart), so that
 * the flag targeting it copies matches on segments that exist; a big segment's copy lists the same keys.
 */
export async function copySegments(trx: Trx, sourceEnvironmentId: string, environmentId: string, now: number): Promise<void> {
  for (const { row, doc } of await listSegments(trx, sourceEnvironmentId)) {
    const copy: SegmentDoc = { ...doc, creationDate: now, lastModifiedDate: now, version: 1, salt: hex32() };
    const id = objectId(now);
    await trx.insertInto('segments').values({ id, environment_id: environmentId, key: row.key, name: row.name, doc: JSON.stringify(copy), created_at: now }).execute();
    if (doc.unbounded) await copyBigSegmentTargets(trx, row.id, id);
  }
}
