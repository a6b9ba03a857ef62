// What a holdout does to targeting, inside the caller's transaction: its base experiment's iteration starts with the
// first experiment of the holdout to start (the holdout's flag is turned on and splits contexts), experiments that
// start get the holdout's flag as a prerequisite, and ending the holdout stops its iteration (everyone is then "Not
// in holdout") and takes the prerequisite off its experiments' flags.
import { ApiError, invalidRequest } from '../../http/errors.js';
import type { Store, Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { loadFlag } from '../flags/model.js';
import { applyInstruction, currentOf, LifecycleError, type HoldoutFacts, type Instruction, type LifecycleState } from '../experiments/lifecycle.js';
import { lifecycleRecords, loadFlagFacts, persist, saveTargeting, type Loaded, type TargetingChange } from '../experiments/lifecycleStore.js';
import { loadIterations, type ExperimentRow } from '../experiments/model.js';
import { randomSeed } from '../experiments/rollout.js';
import type { HoldoutDoc, HoldoutRow } from './model.js';

/** What a write changed, for the caches and the SDK streams. */
export interface Touched {
  experimentIds: string[];
  /** The flags whose targeting changed, before and after (their ids for change notices, their audit entries). */
  targeting: TargetingChange[];
}

/**
 * The holdout an experiment is in, row-locked on PostgreSQL (so that two of its experiments starting at once start
 * its iteration once), with what starting the experiment must respect; undefined when it is in none, or it ended.
 */
export async function holdoutFactsOf(trx: Trx, store: Store, loaded: Loaded): Promise<{ row: HoldoutRow; facts: HoldoutFacts } | undefined> {
  const holdoutId = loaded.experiment.holdout_id;
  if (!holdoutId) return undefined;
  let query = trx.selectFrom('holdouts').selectAll().where('id', '=', holdoutId);
  if (store.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const doc = JSON.parse(row.doc) as HoldoutDoc;
  if (doc.endedAt !== undefined) return undefined;
  const flag = await loadFlag(trx, loaded.project.id, row.flag_key);
  const variation = flag ? flag.doc.variations.findIndex((v) => v._id === doc.notInHoldoutVariationId) : -1;
  if (variation < 0) {
    throw invalidRequest(`the flag "${row.flag_key}" of holdout "${row.key}" no longer has its "Not in holdout" variation`, 'holdoutId');
  }
  return { row, facts: { key: row.key, flagKey: row.flag_key, variation, randomizationUnit: doc.randomizationUnit } };
}

/** Runs one lifecycle instruction on the holdout's base experiment and writes the outcome. */
async function runOnBase(
  trx: Trx,
  store: Store,
  loaded: Loaded,
  holdout: HoldoutRow,
  now: number,
  instruction: (state: LifecycleState) => Instruction,
  prepare: (state: LifecycleState) => LifecycleState = (state) => state,
): Promise<Touched> {
  const arranged = (await loadIterations(trx, [loaded.experiment.id], false)).get(loaded.experiment.id)!;
  const records = lifecycleRecords(arranged);
  const flagKeys = [...new Set(records.flatMap((it) => Object.keys(it.doc.flags)))];
  const facts = await loadFlagFacts(trx, store, loaded, flagKeys);
  const state: LifecycleState = { experiment: JSON.parse(loaded.experiment.doc), iterations: records, flags: facts };
  const prepared = prepare(state);
  let next: LifecycleState;
  try {
    next = applyInstruction(prepared, instruction(prepared), {
      now,
      environmentKey: loaded.environment.key,
      newSeed: randomSeed,
      newIterationId: () => objectId(now),
      layer: undefined,
    });
  } catch (err) {
    if (err instanceof LifecycleError) throw new ApiError(err.status, err.code, `holdout "${holdout.key}": ${err.message}`);
    throw err;
  }
  const flagIds = Object.fromEntries(Object.entries(facts).map(([key, f]) => [key, f.flagId]));
  const targeting = await persist(trx, loaded, state, next, flagIds);
  return { experimentIds: [loaded.experiment.id], targeting };
}

async function baseOf(trx: Trx, holdout: HoldoutRow): Promise<ExperimentRow> {
  return trx.selectFrom('experiments').selectAll().where('id', '=', holdout.experiment_id).executeTakeFirstOrThrow();
}

/** Starts the holdout's own iteration, unless it runs already: its flag is turned on and splits contexts. */
export async function startBaseIteration(trx: Trx, store: Store, where: Omit<Loaded, 'experiment'>, holdout: HoldoutRow, now: number): Promise<Touched> {
  const base = await baseOf(trx, holdout);
  if (base.status !== 'not_started') return { experimentIds: [], targeting: [] };
  const turnOn = (state: LifecycleState): LifecycleState => {
    const facts = state.flags[holdout.flag_key];
    if (!facts || facts.config.on) return state;
    return { ...state, flags: { ...state.flags, [holdout.flag_key]: { ...facts, config: { ...facts.config, on: true } } } };
  };
  return runOnBase(trx, store, { ...where, experiment: base }, holdout, now, () => ({ kind: 'startIteration' }), turnOn);
}

/** Stops the holdout's iteration, if it runs, with "Not in holdout" the winner: its flag then serves that to all. */
export async function endBaseIteration(trx: Trx, store: Store, where: Omit<Loaded, 'experiment'>, holdout: HoldoutRow, now: number): Promise<Touched> {
  const base = await baseOf(trx, holdout);
  if (base.status !== 'running') return { experimentIds: [base.id], targeting: [] };
  const doc = JSON.parse(holdout.doc) as HoldoutDoc;
  const winner = (state: LifecycleState): Instruction => {
    const treatments = currentOf(state)?.doc.treatments ?? [];
    const notInHoldout = treatments.find((t) => t.parameters.some((p) => p.variationId === doc.notInHoldoutVariationId)) ?? treatments[treatments.length - 1];
    return { kind: 'stopIteration', winningTreatmentId: notInHoldout?._id, winningReason: 'The holdout ended' };
  };
  return runOnBase(trx, store, { ...where, experiment: base }, holdout, now, winner);
}

/** Takes the holdout's flag off the prerequisites of these experiments' flags in the holdout's environment. */
export async function releaseExperiments(trx: Trx, store: Store, where: Omit<Loaded, 'experiment'>, holdout: HoldoutRow, experimentIds: string[], now: number): Promise<Touched> {
  if (experimentIds.length === 0) return { experimentIds: [], targeting: [] };
  const refs = await trx.selectFrom('experiment_refs').select('key').distinct().where('experiment_id', 'in', experimentIds).where('kind', '=', 'flag').execute();
  const facts = await loadFlagFacts(trx, store, { ...where, experiment: { id: holdout.experiment_id } }, refs.map((r) => r.key));
  const targeting: TargetingChange[] = [];
  for (const [flagKey, flag] of Object.entries(facts)) {
    if (!flag.config.prerequisites.some((p) => p.key === holdout.flag_key)) continue;
    const config = { ...flag.config, prerequisites: flag.config.prerequisites.filter((p) => p.key !== holdout.flag_key), version: flag.config.version + 1, lastModified: now };
    const doc = await saveTargeting(trx, flag.flagId, where.environment.id, { doc: flag.doc, config });
    targeting.push({ flagId: flag.flagId, flagKey, before: { doc: flag.doc, config: flag.config }, after: { doc, config } });
  }
  return { experimentIds, targeting };
}
