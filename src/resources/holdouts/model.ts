// Holdouts: the stored shape, lookups that 404 with the key named, members, and the status LaunchDarkly shows.
// A holdout is a row beside its base experiment (an experiment of type "holdout" on the holdout's flag); the
// experiments in it name it in their `holdout_id`.
import type { Db, Store, Trx } from '../../store/db.js';
import { notFound, type FieldError } from '../../http/errors.js';
import type { ExperimentRow, IterationDoc } from '../experiments/model.js';

export const IN_HOLDOUT = 'In holdout';
export const NOT_IN_HOLDOUT = 'Not in holdout';

/** The holdout's name and description are its base experiment's, so that either API shows the same. */
export interface HoldoutDoc {
  /** The share of contexts held out, a decimal string as sent ("5", "2.5"). */
  holdoutAmount: string;
  randomizationUnit: string;
  /** The holdout flag's variations: contexts held out get the first, the others the second. */
  inHoldoutVariationId: string;
  notInHoldoutVariationId: string;
  createdAt: number;
  updatedAt: number;
  endedAt?: number;
}

export interface HoldoutRow {
  id: string;
  environment_id: string;
  experiment_id: string;
  key: string;
  flag_key: string;
  doc: string;
  created_at: number;
}

export type HoldoutStatus = 'created' | 'enabled' | 'running' | 'ended';

/**
 * Whether a stored experiment document is a holdout's base experiment: a text search, no parse (create iteration
 * asks on every call). Inside a JSON string the quotes would be escaped, so only the `type` member matches.
 */
export function isHoldoutBase(experimentDoc: string): boolean {
  return experimentDoc.includes('"type":"holdout"');
}

export interface Where {
  projectKey: string;
  environmentKey: string;
}

export async function findHoldout(db: Db | Trx, store: Store, environmentId: string, key: string, where: Where, lock = false): Promise<HoldoutRow> {
  let query = db.selectFrom('holdouts').selectAll().where('environment_id', '=', environmentId).where('key', '=', key);
  if (lock && store.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Holdout "${key}" in project "${where.projectKey}", environment "${where.environmentKey}"`);
  return row;
}

export async function findHoldoutById(db: Db | Trx, store: Store, environmentId: string, id: string, lock = false): Promise<HoldoutRow | undefined> {
  let query = db.selectFrom('holdouts').selectAll().where('environment_id', '=', environmentId).where('id', '=', id);
  if (lock && store.kind === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The experiments in each holdout, oldest first. */
export async function membersOf(db: Db | Trx, holdoutIds: string[]): Promise<Map<string, ExperimentRow[]>> {
  const out = new Map<string, ExperimentRow[]>(holdoutIds.map((id) => [id, []]));
  if (holdoutIds.length === 0) return out;
  const rows = await db.selectFrom('experiments').selectAll().where('holdout_id', 'in', holdoutIds).orderBy('created_at').orderBy('id').execute();
  for (const row of rows) out.get(row.holdout_id!)!.push(row);
  return out;
}

/**
 * LaunchDarkly's four states: created (no experiment yet), enabled (experiments, none started), running (the
 * holdout's own iteration started with its first experiment and runs until the holdout ends), ended.
 */
export function holdoutStatus(doc: HoldoutDoc, baseStatus: string, memberCount: number): HoldoutStatus {
  if (doc.endedAt !== undefined) return 'ended';
  if (baseStatus !== 'not_started') return 'running';
  return memberCount > 0 ? 'enabled' : 'created';
}

/**
 * Why a new experiment cannot join holdout `id`, if it cannot: the holdout must be this environment's, not ended,
 * randomize as the iteration does (no iteration runs on a holdout's flag: iterationInput.ts). Locks the holdout's row.
 */
export async function joinProblems(trx: Trx, store: Store, environment: { id: string; key: string }, id: string, iteration: IterationDoc | undefined): Promise<FieldError[]> {
  const holdout = await findHoldoutById(trx, store, environment.id, id, true);
  if (!holdout) return [{ attribute: 'holdoutId', reason: `there is no holdout with _id "${id}" in environment "${environment.key}"` }];
  const doc = JSON.parse(holdout.doc) as HoldoutDoc;
  if (doc.endedAt !== undefined) return [{ attribute: 'holdoutId', reason: `holdout "${holdout.key}" has ended; it takes no more experiments` }];
  if (!iteration) return [];
  if (iteration.randomizationUnit !== doc.randomizationUnit) {
    return [{ attribute: 'iteration.randomizationUnit', reason: `holdout "${holdout.key}" randomizes by "${doc.randomizationUnit}"; an experiment in it must too` }];
  }
  return [];
}
