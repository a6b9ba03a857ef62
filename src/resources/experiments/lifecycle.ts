// Pure: the experiment state machine. (state, instruction, context) -> new state, or a LifecycleError.
// No I/O here: everything an instruction needs to know about flags and layers arrives in the state and context.
import type { FlagConfigDoc, FlagDoc, VariationOrRollout } from '../flags/model.js';
import type { ExperimentDoc, IterationDoc, IterationStatus } from './model.js';
import { experimentRollout, freshLayout, layeredLayout, percentOf, preservingLayout, reallocatedLayout, targetingOf, TOTAL_WEIGHT, treatmentWeights } from './rollout.js';
import { allocationThousandths, unitProblem, type MetricUnits } from './iterationInput.js';
import { analysisConfigProblems } from './analysisConfig.js';
import { tagProblem } from '../../http/schemas.js';

export interface IterationRecord {
  id: string;
  doc: IterationDoc;
  /** Created by this patch (to insert), or loaded (to update). */
  isNew: boolean;
  /** A replaced draft: to delete. */
  deleted: boolean;
}

export interface FlagFacts {
  doc: FlagDoc;
  config: FlagConfigDoc;
  /** Rule id ('fallthrough' or a rule `_id`) -> key of another running experiment that owns it. */
  ownedBy: Record<string, string>;
}

export interface LayerFacts {
  layer: { key: string; name: string };
  reservationPercent: number;
  otherReservationPercent: number;
  /** The seed the layer's experiments bucket with in the environment. */
  seed: number;
  /** The stretches of bucket space (thousandths of a percent) the layer's other running experiments take. */
  taken: { offset: number; width: number }[];
}

export interface LifecycleState {
  experiment: ExperimentDoc;
  /** The current iteration and the draft (history is not needed to decide anything). */
  iterations: IterationRecord[];
  /** Targeting in this environment of every flag the current iteration or draft uses, by flag key. */
  flags: Record<string, FlagFacts>;
}

/** The holdout an experiment is in (while it has not ended): what starting the experiment must respect. */
export interface HoldoutFacts {
  key: string;
  /** The holdout's flag: each of the experiment's flags gets it as a prerequisite when the experiment starts. */
  flagKey: string;
  /** The holdout flag's "Not in holdout" variation, the one the prerequisite asks for. */
  variation: number;
  randomizationUnit: string;
}

export interface LifecycleContext {
  now: number;
  environmentKey: string;
  newSeed: () => number;
  newIterationId: () => string;
  layer: LayerFacts | undefined;
  holdout?: HoldoutFacts;
  /** Keys of the metrics analysed by a percentile (a bandit's primary metric may not be one); bandits only. */
  percentileMetrics?: ReadonlySet<string>;
  /** The metrics and metric groups as they are now, when the patch may start an iteration. */
  metrics?: MetricFacts;
  /** The randomization units the project's experimentation settings register now, when the patch may start an iteration. */
  randomizationUnits?: readonly string[];
  /** Which of those units are archived context kinds now (experiments cannot use them), when the patch may start one. */
  archivedUnits?: readonly string[];
}

/** The project's metrics and metric groups that an iteration to start names, as they are now. */
export interface MetricFacts {
  /** Each existing single metric (of those named, and the members of the named groups), by key. */
  metrics: ReadonlyMap<string, MetricUnits>;
  /** Each existing metric group, by key: its member metrics' keys. */
  groups: ReadonlyMap<string, readonly string[]>;
}

/** One field change of updateExperimentFields / saveAndStartNewIteration. */
export interface FieldChange {
  operation: 'add' | 'update' | 'remove';
  value?: unknown;
}

export type Instruction =
  | { kind: 'updateName'; value: string }
  | { kind: 'updateDescription'; value: string }
  | { kind: 'startIteration'; changeJustification?: string }
  | { kind: 'stopIteration'; winningTreatmentId?: string; winningReason?: string }
  | { kind: 'archiveExperiment' }
  | { kind: 'restoreExperiment' }
  /** `iteration` is the target iteration already re-resolved with the iteration-level changes applied. */
  | { kind: 'updateExperimentFields'; value: Record<string, FieldChange>; iteration?: IterationDoc }
  /** `iteration` is the new iteration, resolved from the current one with the changes applied. */
  | { kind: 'saveAndStartNewIteration'; changeJustification?: string; value?: Record<string, FieldChange>; iteration: IterationDoc };

export class LifecycleError extends Error {
  constructor(
    readonly status: 400 | 409,
    readonly code: 'invalid_request' | 'optimistic_locking_error',
    message: string,
    /** The member of the instruction at fault (`value.name`, `value.tags[1]`) and what is wrong with it, when one is. */
    readonly at?: { field: string; reason: string },
  ) {
    super(message);
  }
}

const refuse = (message: string) => new LifecycleError(400, 'invalid_request', message);
/** A refusal of one member of the instruction: the message names it, and so does the error's attribute. */
const refuseField = (field: string, reason: string) => new LifecycleError(400, 'invalid_request', `${field}: ${reason}`, { field, reason });

export const EXPERIMENT_FIELDS = ['name', 'description', 'maintainerId', 'tags', 'methodology', 'analysisConfig', 'dataSource'] as const;
export const ITERATION_FIELDS = [
  'hypothesis',
  'canReshuffleTraffic',
  'metrics',
  'primarySingleMetricKey',
  'primaryFunnelKey',
  'treatments',
  'flags',
  'randomizationUnit',
  'attributes',
  'reallocationFrequencyMillis',
] as const;

const ALWAYS: Record<string, FieldChange['operation'][]> = {
  name: ['update'],
  description: ['update', 'remove'],
  maintainerId: ['update'],
  tags: ['add', 'update', 'remove'],
};

type MutableFields = Record<IterationStatus, Record<string, FieldChange['operation'][]>>;

/** Which fields updateExperimentFields may change, and how, in each status of the current iteration. */
const MUTABLE_FIELDS_BY_STATUS: MutableFields = {
  not_started: {
    ...ALWAYS,
    methodology: ['update'],
    analysisConfig: ['update'],
    dataSource: ['update'],
    hypothesis: ['update'],
    canReshuffleTraffic: ['update'],
    metrics: ['add', 'update', 'remove'],
    primarySingleMetricKey: ['update'],
    primaryFunnelKey: ['update'],
    treatments: ['update'],
    flags: ['update'],
    randomizationUnit: ['update'],
    attributes: ['add', 'update', 'remove'],
  },
  running: { ...ALWAYS, metrics: ['add'], attributes: ['add'] },
  stopped: { ...ALWAYS },
};

/** A multi-armed bandit's draft also takes the cadence it reallocates at (no other experiment reallocates). */
const BANDIT_MUTABLE_FIELDS_BY_STATUS: MutableFields = {
  ...MUTABLE_FIELDS_BY_STATUS,
  not_started: { ...MUTABLE_FIELDS_BY_STATUS.not_started, reallocationFrequencyMillis: ['update'] },
};

/**
 * A holdout's base experiment: its iteration is the holdout's design and cannot be changed (patchExperiment refuses
 * it), so only the experiment's own fields are listed.
 */
const HOLDOUT_MUTABLE_FIELDS_BY_STATUS = Object.fromEntries(
  Object.entries(MUTABLE_FIELDS_BY_STATUS).map(([status, fields]) => [status, Object.fromEntries(Object.entries(fields).filter(([field]) => !(ITERATION_FIELDS as readonly string[]).includes(field)))]),
) as MutableFields;

/** What an experiment of this type may change in each status (its `mutableFieldsByStatus`). */
export function mutableFieldsByStatus(experimentType: string): MutableFields {
  if (experimentType === 'holdout') return HOLDOUT_MUTABLE_FIELDS_BY_STATUS;
  return experimentType === 'mab' ? BANDIT_MUTABLE_FIELDS_BY_STATUS : MUTABLE_FIELDS_BY_STATUS;
}

export function currentOf(state: LifecycleState): IterationRecord | undefined {
  const started = state.iterations
    .filter((it) => !it.deleted && it.doc.status !== 'not_started')
    .sort((a, b) => (b.doc.startedAt ?? 0) - (a.doc.startedAt ?? 0) || b.doc.createdAt - a.doc.createdAt);
  return started[0] ?? draftOf(state);
}

export function draftOf(state: LifecycleState): IterationRecord | undefined {
  return state.iterations.find((it) => !it.deleted && it.doc.status === 'not_started');
}

export function statusOf(state: LifecycleState): IterationStatus {
  return currentOf(state)?.doc.status ?? 'not_started';
}

/**
 * The iteration updateExperimentFields edits, and the status its iteration fields are judged by: the draft before the
 * experiment first starts, and also once it has stopped and a new draft waits (createIteration after a stop), since
 * the stopped iteration is history; the running or stopped iteration otherwise.
 */
export function editedIteration(state: LifecycleState): { status: IterationStatus; record: IterationRecord | undefined } {
  const status = statusOf(state);
  const draft = draftOf(state);
  if (status === 'not_started' || (status === 'stopped' && draft)) return { status: 'not_started', record: draft ?? currentOf(state) };
  return { status, record: currentOf(state) };
}

function withConfig(state: LifecycleState, flagKey: string, config: FlagConfigDoc): LifecycleState {
  return { ...state, flags: { ...state.flags, [flagKey]: { ...state.flags[flagKey], config } } };
}

function withIteration(state: LifecycleState, record: IterationRecord): LifecycleState {
  const exists = state.iterations.some((it) => it.id === record.id);
  return { ...state, iterations: exists ? state.iterations.map((it) => (it.id === record.id ? record : it)) : [...state.iterations, record] };
}

/** Replaces the targeting of ruleId, bumping the environment's version. */
function retarget(config: FlagConfigDoc, ruleId: string, targeting: VariationOrRollout, now: number): FlagConfigDoc {
  const clean = (t: VariationOrRollout): VariationOrRollout => (t.rollout !== undefined ? { rollout: t.rollout } : { variation: t.variation });
  const next: FlagConfigDoc = { ...config, version: config.version + 1, lastModified: now };
  if (ruleId === 'fallthrough') next.fallthrough = clean(targeting);
  else {
    next.rules = config.rules.map((rule) => {
      if (rule._id !== ruleId) return rule;
      const { variation: _v, rollout: _r, ...rest } = rule;
      return { ...rest, ...clean(targeting) };
    });
  }
  return next;
}

/** The running iteration stops: ended now, and each rule it owned ships `winner` or goes back to what it was. */
function endRunning(state: LifecycleState, running: IterationRecord, now: number, winner?: { id: string; reason?: string }): LifecycleState {
  const doc: IterationDoc = { ...running.doc, status: 'stopped', endedAt: endTimeOf(running, now) };
  if (winner) {
    doc.winningTreatmentId = winner.id;
    if (winner.reason !== undefined) doc.winningReason = winner.reason;
  }
  let next = withIteration(state, { ...running, doc });
  const treatment = winner ? running.doc.treatments.find((t) => t._id === winner.id) : undefined;
  for (const [flagKey, flag] of Object.entries(running.doc.flags)) {
    const facts = next.flags[flagKey];
    if (!facts || targetingOf(facts.config, flag.ruleId) === undefined) continue;
    const variationId = treatment?.parameters.find((p) => p.flagKey === flagKey)?.variationId;
    const index = variationId === undefined ? -1 : facts.doc.variations.findIndex((v) => v._id === variationId);
    const targeting = index >= 0 ? { variation: index } : running.doc.rollouts?.[flagKey]?.previous;
    if (targeting) next = withConfig(next, flagKey, retarget(facts.config, flag.ruleId, targeting, now));
  }
  return next;
}

function checkStartable(state: LifecycleState, draft: IterationRecord, ctx: LifecycleContext): void {
  if (state.experiment.archivedDate !== undefined) throw refuse('the experiment is archived; restore it before starting an iteration');
  if (!draft.doc.randomizationUnit) throw refuse('the iteration has no randomizationUnit');
  // The unit was registered when the draft was made; the settings may have dropped it since.
  if (ctx.randomizationUnits && !ctx.randomizationUnits.includes(draft.doc.randomizationUnit)) {
    throw refuse(
      `randomizationUnit "${draft.doc.randomizationUnit}" is no longer in the project's experimentation settings [${ctx.randomizationUnits.join(', ')}]; ` +
        "change the iteration's randomizationUnit, or register the unit again, before starting",
    );
  }
  // Its context kind may have been archived since; an archived kind is unavailable for experiments.
  if (ctx.archivedUnits?.includes(draft.doc.randomizationUnit)) {
    throw refuse(
      `randomizationUnit "${draft.doc.randomizationUnit}" is an archived context kind, and archived context kinds cannot be used in experiments; ` +
        "change the iteration's randomizationUnit, or unarchive the context kind, before starting",
    );
  }
  if (!draft.doc.treatments.some((t) => /[1-9]/.test(t.allocationPercent))) {
    throw refuse('at least one treatment needs a non-zero allocationPercent');
  }
  for (const [flagKey, flag] of Object.entries(draft.doc.flags)) {
    const facts = state.flags[flagKey];
    if (!facts) throw refuse(`flag "${flagKey}" no longer exists`);
    if (facts.doc.archived) throw refuse(`flag "${flagKey}" is archived`);
    if (!facts.config.on) throw refuse(`flag "${flagKey}" is off in environment "${ctx.environmentKey}"; turn it on before starting`);
    if (targetingOf(facts.config, flag.ruleId) === undefined) {
      throw refuse(`the targeted rule "${flag.ruleId}" no longer exists on flag "${flagKey}" in environment "${ctx.environmentKey}"`);
    }
    // A disabled rule matches no one: the experiment would get no exposure, and the rule could not be enabled again
    // while the experiment owns it.
    if (facts.config.rules.some((r) => r._id === flag.ruleId && r.disabled === true)) {
      throw refuse(`the targeted rule "${flag.ruleId}" of flag "${flagKey}" is disabled in environment "${ctx.environmentKey}"; enable it before starting`);
    }
    checkVariations(draft.doc, flagKey, facts.doc);
    const owner = facts.ownedBy[flag.ruleId];
    if (owner !== undefined) {
      throw new LifecycleError(
        409,
        'optimistic_locking_error',
        `the ${flag.ruleId === 'fallthrough' ? 'fallthrough' : `rule "${flag.ruleId}"`} of flag "${flagKey}" is already used by the running experiment "${owner}"`,
      );
    }
  }
  if (ctx.metrics) checkMetrics(draft.doc, ctx.metrics);
  if (state.experiment.type === 'mab') checkBandit(draft.doc, ctx.percentileMetrics);
  if (ctx.holdout) checkHoldout(state, draft, ctx.holdout);
  if (ctx.layer && ctx.layer.reservationPercent <= 0) {
    throw refuse(`the experiment is in layer "${ctx.layer.layer.key}" with a 0% reservation in environment "${ctx.environmentKey}"; reserve traffic before starting`);
  }
}

/**
 * The variations the draft serves on flagKey are still the flag's: only a running iteration keeps its variations from
 * being removed, and a flag deleted and made again under its key has new ones. A rollout must never name a variation
 * the flag lacks (the SDKs would serve their default value to that share).
 */
function checkVariations(doc: IterationDoc, flagKey: string, flag: FlagDoc): void {
  const exists = (id: string) => flag.variations.some((v) => v._id === id);
  for (const treatment of doc.treatments) {
    const id = treatment.parameters.find((p) => p.flagKey === flagKey)?.variationId;
    if (id !== undefined && !exists(id)) {
      throw refuse(`treatment "${treatment.name}" serves variation "${id}", which is no longer a variation of flag "${flagKey}"; change the iteration's treatments before starting`);
    }
  }
  const notIn = doc.flags[flagKey]?.notInExperimentVariationId;
  if (notIn && !exists(notIn)) {
    throw refuse(`notInExperimentVariationId "${notIn}" is no longer a variation of flag "${flagKey}"; change the iteration's flags before starting`);
  }
}

/**
 * The iteration's metrics still exist and still measure by its randomization unit: a metric deleted, or given other
 * units, after the draft was made (only a running iteration keeps a metric from being deleted).
 */
function checkMetrics(doc: IterationDoc, facts: MetricFacts): void {
  for (const metric of doc.metrics) {
    const members = metric.isGroup ? facts.groups.get(metric.key) : [metric.key];
    if (!members) throw refuse(`metric group "${metric.key}" no longer exists; change the iteration's metrics before starting`);
    for (const key of members) {
      const found = facts.metrics.get(key);
      if (!found) {
        if (metric.isGroup) continue;
        throw refuse(`metric "${key}" no longer exists; change the iteration's metrics before starting`);
      }
      const problem = unitProblem(metric.isGroup ? { ...found, group: metric.key } : found, doc.randomizationUnit);
      if (problem) throw refuse(problem);
    }
  }
}

/** A bandit moves traffic by its primary metric's average (LaunchDarkly's bandits take "Average" metrics only). */
function checkBandit(doc: IterationDoc, percentileMetrics: ReadonlySet<string> | undefined): void {
  const key = doc.primarySingleMetricKey;
  if (key !== undefined && percentileMetrics?.has(key)) {
    throw refuse(`a multi-armed bandit reallocates traffic by its primary metric's average; metric "${key}" is analysed by a percentile`);
  }
}

/** An experiment in a holdout randomizes as the holdout does, and its flags depend on nothing but the holdout's flag. */
function checkHoldout(state: LifecycleState, draft: IterationRecord, holdout: HoldoutFacts): void {
  if (draft.doc.randomizationUnit !== holdout.randomizationUnit) {
    throw refuse(
      `the experiment is in holdout "${holdout.key}", which randomizes by "${holdout.randomizationUnit}"; the iteration randomizes by "${draft.doc.randomizationUnit}"`,
    );
  }
  for (const flagKey of Object.keys(draft.doc.flags)) {
    if (flagKey === holdout.flagKey) throw refuse(`flag "${flagKey}" is the flag of holdout "${holdout.key}"; an experiment in the holdout cannot use it`);
    const others = state.flags[flagKey].config.prerequisites.filter((p) => p.key !== holdout.flagKey).map((p) => `"${p.key}"`);
    if (others.length > 0) {
      throw refuse(`flag "${flagKey}" has the prerequisite ${others.join(', ')}; a flag in a holdout's experiment can have no prerequisite but the holdout's`);
    }
  }
}

/** The config with the holdout's flag as a prerequisite (serving "Not in holdout"), unless it already is one. */
export function withHoldoutPrerequisite(config: FlagConfigDoc, holdout: { flagKey: string; variation: number }): FlagConfigDoc {
  if (config.prerequisites.some((p) => p.key === holdout.flagKey && p.variation === holdout.variation)) return config;
  return { ...config, prerequisites: [...config.prerequisites.filter((p) => p.key !== holdout.flagKey), { key: holdout.flagKey, variation: holdout.variation }] };
}

/**
 * When a new iteration starts: now, unless an iteration of the experiment started or ended at or after now. Which
 * iteration is current is read from the start times (currentOf, arrangeIterations), so a start must come strictly
 * after every earlier one even when the clock says otherwise: a request's clock is read before it waits for the
 * experiment's lock, so a start queued behind another may carry an earlier time (and instances' clocks differ).
 */
export function startTimeOf(state: LifecycleState, now: number): number {
  let at = now;
  for (const it of state.iterations) {
    if (it.deleted || it.doc.startedAt === undefined) continue;
    at = Math.max(at, it.doc.startedAt + 1, it.doc.endedAt ?? at);
  }
  return at;
}

/** When a running iteration stops: now, but never before it started (see startTimeOf). */
function endTimeOf(running: IterationRecord, now: number): number {
  return Math.max(now, running.doc.startedAt ?? now);
}

/** Starts the draft: the running iteration (if any) stops, and each targeted rule becomes an experiment rollout. */
function start(state: LifecycleState, ctx: LifecycleContext, justification: string | undefined, justificationRequired: boolean): LifecycleState {
  const draft = draftOf(state);
  if (!draft) throw refuse('there is no draft iteration to start; create an iteration first');
  checkStartable(state, draft, ctx);
  const current = currentOf(state);
  const running = current && current.doc.status === 'running' ? current : undefined;
  if (running && justificationRequired && !(justification ?? '').trim()) {
    throw refuse('changeJustification is required to start a new iteration while one is running');
  }

  const { bandit: _none, ...drafted } = draft.doc;
  const at = startTimeOf(state, ctx.now);
  const doc: IterationDoc = { ...drafted, status: 'running', startedAt: at, rollouts: {} };
  if (state.experiment.type === 'mab') {
    doc.bandit = { nextAt: at + reallocationFrequencyOf(doc), allocations: [{ from: at, percents: percentsOf(doc) }] };
  }
  let next = state;
  // Rules the running iteration owns that the new one leaves go back to what they served before the experiment.
  if (running) {
    const keep = Object.entries(running.doc.flags).filter(([flagKey, f]) => doc.flags[flagKey]?.ruleId === f.ruleId);
    next = withIteration(next, { ...running, doc: { ...running.doc, status: 'stopped', endedAt: at } });
    for (const [flagKey, flag] of Object.entries(running.doc.flags)) {
      if (keep.some(([k]) => k === flagKey)) continue;
      const facts = next.flags[flagKey];
      const previous = running.doc.rollouts?.[flagKey]?.previous;
      if (facts && previous && targetingOf(facts.config, flag.ruleId) !== undefined) {
        next = withConfig(next, flagKey, retarget(facts.config, flag.ruleId, previous, ctx.now));
      }
    }
  }
  // In a layer, the iteration's traffic is a stretch of the layer's bucket space that no other running experiment of
  // the layer takes, bucketed with the layer's seed: a unit in one of them is in none of the others.
  if (ctx.layer) doc.layerSlice = { layerKey: ctx.layer.layer.key, ...layerStretch(ctx.layer, ctx.environmentKey) };
  // One seed for every flag of the iteration: a treatment is one variation of each flag, and with one seed a unit
  // falls in the same bucket, so the same treatment, on each of them.
  const seedOfIteration = ctx.layer ? ctx.layer.seed : ctx.newSeed();
  for (const [flagKey, flag] of Object.entries(doc.flags)) {
    const facts = next.flags[flagKey];
    const notInExperiment = facts.doc.variations.findIndex((v) => v._id === flag.notInExperimentVariationId);
    const weights = treatmentWeights(doc, flagKey, facts.doc);
    const prior = running && running.doc.flags[flagKey]?.ruleId === flag.ruleId ? running.doc.rollouts?.[flagKey] : undefined;
    const keepBuckets = !doc.layerSlice && prior !== undefined && !doc.canReshuffleTraffic && running!.doc.randomizationUnit === doc.randomizationUnit;
    const seed = keepBuckets ? prior!.seed : seedOfIteration;
    const variations = doc.layerSlice
      ? layeredLayout(weights, notInExperiment, doc.layerSlice.offset, doc.layerSlice.width)
      : keepBuckets
        ? preservingLayout(prior!.variations, weights, notInExperiment)
        : freshLayout(weights, notInExperiment);
    const previous = prior?.previous ?? targetingOf(facts.config, flag.ruleId)!;
    doc.rollouts![flagKey] = { seed, previous, variations };
    const rollout = experimentRollout(variations, seed, doc.randomizationUnit, notInExperiment, doc.canReshuffleTraffic);
    const config = retarget(facts.config, flag.ruleId, { rollout }, ctx.now);
    // Contexts in the holdout fail the prerequisite and get the flag's off variation, outside the experiment.
    next = withConfig(next, flagKey, ctx.holdout ? withHoldoutPrerequisite(config, ctx.holdout) : config);
  }
  return withIteration(next, { ...draft, doc });
}

/**
 * Where in the layer's bucket space an iteration reserving `reservationPercent` runs: the first stretch that wide no
 * other running experiment of the layer takes. Reservations add up to at most 100%, so one is free unless the
 * stretches the others hold are scattered (a reservation grown while another ran); then the start is refused.
 */
function layerStretch(layer: LayerFacts, environmentKey: string): { offset: number; width: number } {
  const width = Math.round(layer.reservationPercent * 1000);
  let offset = 0;
  for (const held of [...layer.taken].sort((a, b) => a.offset - b.offset)) {
    if (held.offset - offset >= width) break;
    offset = Math.max(offset, held.offset + held.width);
  }
  if (offset + width > TOTAL_WEIGHT) {
    throw refuse(`layer "${layer.layer.key}" has no free ${layer.reservationPercent}% of traffic in environment "${environmentKey}" beside its running experiments; stop one, or lower this reservation`);
  }
  return { offset, width };
}

/** How often a bandit reallocates when its iteration does not say: hourly, as LaunchDarkly's examples do. */
export const DEFAULT_REALLOCATION_FREQUENCY_MS = 3_600_000;

export function reallocationFrequencyOf(doc: IterationDoc): number {
  return doc.reallocationFrequencyMillis ?? DEFAULT_REALLOCATION_FREQUENCY_MS;
}

function percentsOf(doc: IterationDoc): string[] {
  return doc.treatments.map((t) => t.allocationPercent);
}

/**
 * A running bandit's reallocation: each treatment's new traffic (thousandths of a percent, in the treatments'
 * order), or undefined to keep it (too few units yet); either way the next reallocation is one frequency from now.
 * The rules the iteration runs on are laid out again with their seed kept, so that a unit keeps its bucket, and its
 * treatment, wherever that treatment keeps the traffic (rollout.ts, reallocatedLayout).
 */
export function reallocate(state: LifecycleState, iterationId: string, weights: readonly number[] | undefined, now: number): LifecycleState {
  const running = state.iterations.find((it) => it.id === iterationId && !it.deleted && it.doc.status === 'running');
  if (!running?.doc.bandit) throw refuse(`iteration "${iterationId}" is not a running multi-armed bandit`);
  if (weights !== undefined && weights.length !== running.doc.treatments.length) throw refuse(`iteration "${iterationId}" has ${running.doc.treatments.length} treatments, not ${weights.length}`);
  const nextAt = now + reallocationFrequencyOf(running.doc);
  const changed = weights !== undefined && running.doc.treatments.some((t, i) => allocationThousandths(t.allocationPercent) !== weights[i]);
  if (!changed) return withIteration(state, { ...running, doc: { ...running.doc, bandit: { ...running.doc.bandit, nextAt } } });

  const treatments = running.doc.treatments.map((t, i) => ({ ...t, allocationPercent: percentOf(weights[i]) }));
  const doc: IterationDoc = { ...running.doc, treatments, version: running.doc.version + 1, rollouts: { ...running.doc.rollouts } };
  doc.bandit = { nextAt, allocations: [...running.doc.bandit.allocations, { from: now, percents: percentsOf(doc) }] };
  let next = state;
  for (const [flagKey, flag] of Object.entries(doc.flags)) {
    const facts = next.flags[flagKey];
    const prior = doc.rollouts![flagKey];
    if (!facts || !prior || targetingOf(facts.config, flag.ruleId) === undefined) continue;
    const notInExperiment = facts.doc.variations.findIndex((v) => v._id === flag.notInExperimentVariationId);
    const variations = reallocatedLayout(prior.variations, treatmentWeights(doc, flagKey, facts.doc), notInExperiment);
    doc.rollouts![flagKey] = { ...prior, variations };
    const rollout = experimentRollout(variations, prior.seed, doc.randomizationUnit, notInExperiment, doc.canReshuffleTraffic);
    next = withConfig(next, flagKey, retarget(facts.config, flag.ruleId, { rollout }, now));
  }
  return withIteration(next, { ...running, doc });
}

/** The bounds createExperiment's schema puts on these fields (http/schemas.ts: Name, Tags), kept by its patches too. */
const MAX_NAME = 1024;
const MAX_DESCRIPTION = 65536;
const MAX_TAGS = 1000;

/** A name as createExperiment takes one; throws naming `at` otherwise. */
function checkedName(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw refuseField(at, 'must be a non-empty string');
  if (value.length > MAX_NAME) throw refuseField(at, `must be at most ${MAX_NAME} characters`);
  return value;
}

function checkedDescription(value: unknown, at: string): string {
  if (typeof value !== 'string') throw refuseField(at, 'must be a string');
  if (value.length > MAX_DESCRIPTION) throw refuseField(at, `must be at most ${MAX_DESCRIPTION} characters`);
  return value;
}

function applyFieldsToExperiment(experiment: ExperimentDoc, value: Record<string, FieldChange>): ExperimentDoc {
  const next: ExperimentDoc = { ...experiment };
  for (const [field, change] of Object.entries(value)) {
    // The spec: `value` is "Required for `add` and `update` operations".
    if ((change.operation === 'add' || change.operation === 'update') && change.value === undefined) throw refuseField(`value.${field}`, `value must be present to ${change.operation} it`);
    // Named as the iteration's fields are (instructions[i].value.hypothesis): the field, not its {operation, value}.
    const at = `value.${field}`;
    switch (field) {
      case 'name':
        next.name = checkedName(change.value, at);
        break;
      case 'description':
        if (change.operation === 'remove') delete next.description;
        else next.description = checkedDescription(change.value, at);
        break;
      case 'maintainerId':
        // That it names a member of the account is checked against the store (patchExperiment).
        if (typeof change.value !== 'string' || change.value === '') throw refuseField(at, 'must be a member id');
        next.maintainerId = change.value;
        break;
      case 'tags': {
        // createExperiment's tags are an array; so are a patch's (a lone string is not taken for one).
        if (change.value !== undefined && !Array.isArray(change.value)) throw refuseField(at, 'must be an array of tags');
        const values = (change.value ?? []) as unknown[];
        const notString = values.findIndex((t) => typeof t !== 'string');
        if (notString >= 0) throw refuseField(`${at}[${notString}]`, 'must be a string');
        const tags = values as string[];
        // Removing a tag needs no check: one stored before may go.
        if (change.operation !== 'remove') {
          const bad = tags.findIndex((t) => tagProblem(t) !== undefined);
          if (bad >= 0) throw refuseField(`${at}[${bad}]`, `${JSON.stringify(tags[bad].length > 60 ? `${tags[bad].slice(0, 60)}…` : tags[bad])} ${tagProblem(tags[bad])}`);
        }
        if (change.operation === 'update') next.tags = [...new Set(tags)];
        else if (change.operation === 'add') next.tags = [...new Set([...next.tags, ...tags])];
        else next.tags = change.value === undefined ? [] : next.tags.filter((t) => !tags.includes(t));
        if (next.tags.length > MAX_TAGS) throw refuseField(at, `would leave ${next.tags.length} tags; an experiment has at most ${MAX_TAGS}`);
        break;
      }
      case 'methodology':
        if (!['bayesian', 'frequentist', 'export_only'].includes(String(change.value))) throw refuseField(at, 'must be bayesian, frequentist or export_only');
        next.methodology = change.value as string;
        break;
      case 'dataSource':
        if (!['launchdarkly', 'snowflake', 'databricks', 'redshift'].includes(String(change.value))) throw refuseField(at, 'must be launchdarkly, snowflake, databricks or redshift');
        next.dataSource = change.value as string;
        break;
      case 'analysisConfig':
        {
          const [problem] = analysisConfigProblems(change.value);
          if (problem) throw refuseField(`${at}${problem.attribute.replace(/^analysisConfig/, '')}`, problem.reason);
        }
        next.analysisConfig = change.value as ExperimentDoc['analysisConfig'];
        break;
      default:
        break;
    }
  }
  return next;
}

/**
 * Refuses a field change the status does not allow (through checkChangesAllowed, which patchExperiment asks first,
 * before it checks the values). The iteration's fields are judged by `iterationStatus`, the experiment's own by the
 * experiment's.
 */
function checkMutable(experiment: ExperimentDoc, status: IterationStatus, value: Record<string, FieldChange>, iterationStatus: IterationStatus = status): void {
  const byStatus = mutableFieldsByStatus(experiment.type);
  for (const [field, change] of Object.entries(value)) {
    const ofIteration = (ITERATION_FIELDS as readonly string[]).includes(field);
    if (!(EXPERIMENT_FIELDS as readonly string[]).includes(field) && !ofIteration) {
      throw refuse(`unknown field "${field}"`);
    }
    const judgedBy = ofIteration ? iterationStatus : status;
    const operations = byStatus[judgedBy][field];
    if (!operations || !operations.includes(change.operation)) {
      throw refuse(
        `field "${field}" cannot be changed with "${change.operation}" while the ${judgedBy === status ? 'experiment' : 'iteration'} is ${judgedBy}` +
          (operations ? ` (allowed: ${operations.join(', ')})` : ''),
      );
    }
  }
}

/**
 * The field changes of an updateExperimentFields or saveAndStartNewIteration instruction against what the status
 * allows: a new iteration's are a draft's; updateExperimentFields' iteration fields follow the iteration they edit.
 */
export function checkChangesAllowed(state: LifecycleState, kind: 'updateExperimentFields' | 'saveAndStartNewIteration', value: Record<string, FieldChange>): void {
  if (kind === 'saveAndStartNewIteration') checkMutable(state.experiment, 'not_started', value);
  else checkMutable(state.experiment, statusOf(state), value, editedIteration(state).status);
}

/**
 * Why a new iteration may not use these flags, or undefined when it may: an experiment that has run keeps the flags
 * of its latest started iteration (LaunchDarkly: "If you want to use a different flag, you must create a new
 * experiment"). One that never started may change them freely.
 */
export function changedFlagsReason(ranOn: readonly string[] | undefined, flagKeys: readonly string[]): string | undefined {
  if (!ranOn || ranOn.length === 0) return undefined;
  if (flagKeys.length === ranOn.length && flagKeys.every((key) => ranOn.includes(key))) return undefined;
  return `must name the flag the experiment has run on (${ranOn.map((key) => `"${key}"`).join(', ')}); to experiment on a different flag, create a new experiment`;
}

/** An iteration may not move an experiment that has run to other flags. */
function refuseChangedFlags(state: LifecycleState, iteration: IterationDoc): void {
  const current = currentOf(state);
  const reason = changedFlagsReason(current && current.doc.status !== 'not_started' ? Object.keys(current.doc.flags) : undefined, Object.keys(iteration.flags));
  if (reason) throw refuse(`flags ${reason}`);
}

/** Applies one instruction; throws LifecycleError when it may not be applied in this state. */
export function applyInstruction(state: LifecycleState, instruction: Instruction, ctx: LifecycleContext): LifecycleState {
  switch (instruction.kind) {
    case 'updateName':
      return { ...state, experiment: { ...state.experiment, name: checkedName(instruction.value, 'value') } };
    case 'updateDescription':
      return { ...state, experiment: { ...state.experiment, description: checkedDescription(instruction.value, 'value') } };
    case 'archiveExperiment':
      if (statusOf(state) === 'running') throw refuse('a running experiment cannot be archived; stop its iteration first');
      if (state.experiment.archivedDate !== undefined) return state;
      return { ...state, experiment: { ...state.experiment, archivedDate: ctx.now } };
    case 'restoreExperiment': {
      if (state.experiment.archivedDate === undefined) return state;
      const { archivedDate: _gone, ...experiment } = state.experiment;
      return { ...state, experiment };
    }
    case 'startIteration':
      return start(state, ctx, instruction.changeJustification, true);
    case 'stopIteration': {
      const current = currentOf(state);
      if (!current || current.doc.status !== 'running') throw refuse('there is no running iteration to stop');
      if (!instruction.winningTreatmentId) throw refuse('winningTreatmentId is required to stop an iteration');
      if (!current.doc.treatments.some((t) => t._id === instruction.winningTreatmentId)) {
        throw refuse(`winningTreatmentId "${instruction.winningTreatmentId}" is not a treatment of the running iteration`);
      }
      let next = endRunning(state, current, ctx.now, { id: instruction.winningTreatmentId, reason: instruction.winningReason });
      if (ctx.layer) {
        const stopped = next.iterations.find((it) => it.id === current.id)!;
        next = withIteration(next, {
          ...stopped,
          doc: {
            ...stopped.doc,
            layerSnapshot: {
              key: ctx.layer.layer.key,
              name: ctx.layer.layer.name,
              // The share the iteration had: its stretch was fixed when it started (a reservation raised since is
              // held for it, but never bucketed into it).
              reservationPercent: stopped.doc.layerSlice ? stopped.doc.layerSlice.width / 1000 : ctx.layer.reservationPercent,
              otherReservationPercent: ctx.layer.otherReservationPercent,
            },
          },
        });
      }
      return next;
    }
    case 'updateExperimentFields': {
      checkChangesAllowed(state, 'updateExperimentFields', instruction.value);
      let next: LifecycleState = { ...state, experiment: applyFieldsToExperiment(state.experiment, instruction.value) };
      if (instruction.iteration) {
        refuseChangedFlags(state, instruction.iteration);
        const target = editedIteration(state).record;
        if (!target) throw refuse('there is no iteration to update');
        const doc: IterationDoc = {
          ...instruction.iteration,
          status: target.doc.status,
          createdAt: target.doc.createdAt,
          version: target.doc.version + 1,
          ...(target.doc.startedAt !== undefined ? { startedAt: target.doc.startedAt } : {}),
          ...(target.doc.rollouts !== undefined ? { rollouts: target.doc.rollouts } : {}),
          ...(target.doc.bandit !== undefined ? { bandit: target.doc.bandit } : {}),
        };
        next = withIteration(next, { ...target, doc });
      }
      return next;
    }
    case 'saveAndStartNewIteration': {
      refuseChangedFlags(state, instruction.iteration);
      // LaunchDarkly: it "Stops the current running iteration, creates a new iteration from it, ... and starts the
      // new iteration": without a running iteration there is nothing to stop and restart.
      const status = statusOf(state);
      if (status !== 'running') {
        throw refuse(
          `there is no running iteration to stop and start anew (the experiment is ${status}); ` +
            (status === 'not_started' ? 'start its iteration with startIteration' : 'create an iteration and start it with startIteration'),
        );
      }
      if (instruction.value) {
        checkChangesAllowed(state, 'saveAndStartNewIteration', instruction.value);
        state = { ...state, experiment: applyFieldsToExperiment(state.experiment, instruction.value) };
      }
      const draft = draftOf(state);
      let next = draft ? withIteration(state, { ...draft, deleted: true }) : state;
      next = withIteration(next, { id: ctx.newIterationId(), doc: { ...instruction.iteration, status: 'not_started', createdAt: ctx.now }, isNew: true, deleted: false });
      return start(next, ctx, instruction.changeJustification, false);
    }
    default:
      throw refuse(`unknown instruction kind "${(instruction as { kind: string }).kind}"`);
  }
}

/** Applies every instruction in order: all of them or, on the first refusal, none (the error names which). */
export function applyInstructions(state: LifecycleState, instructions: Instruction[], ctx: LifecycleContext): LifecycleState {
  return instructions.reduce((current, instruction, index) => {
    try {
      return applyInstruction(current, instruction, ctx);
    } catch (err) {
      if (err instanceof LifecycleError) {
        const at = err.at && { field: `instructions[${index}].${err.at.field}`, reason: err.at.reason };
        throw new LifecycleError(err.status, err.code, `instructions[${index}] (${instruction.kind}): ${err.message}`, at);
      }
      throw err;
    }
  }, state);
}
