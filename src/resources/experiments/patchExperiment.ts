// PATCH …/experiments/{experimentKey} — semantic patch: rename, start, stop, archive, restore, update fields.
// Loads what the lifecycle needs, runs the pure state machine, and writes the outcome in one transaction.
import type { FastifyInstance } from 'fastify';
import type { Actor, Deps } from '../../http/context.js';
import { refuseUnlessAllowedTagged } from '../custom-roles/access.js';
import { holdout as holdoutResource } from '../custom-roles/routeActions.js';
import { ApiError, validationFailed, type FieldError } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import { objectId } from '../../store/ids.js';
import { recordAudits } from '../audit-log/record.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { holdoutFactsOf, startBaseIteration } from '../holdouts/baseExperiment.js';
import { findMember } from '../members/members.js';
import { loadExperimentSettings } from '../experimentation-settings/settings.js';
import { resolveIteration, storeLookups } from './iterationInput.js';
import {
  applyInstructions,
  checkChangesAllowed,
  ITERATION_FIELDS,
  LifecycleError,
  editedIteration,
  currentOf,
  draftOf,
  type FieldChange,
  type Instruction,
  type IterationRecord,
  type LayerFacts,
  type LifecycleState,
  type MetricFacts,
} from './lifecycle.js';
import type { Trx } from '../../store/db.js';
import type { MetricDoc, MetricGroupDoc } from '../metrics/model.js';
import { lifecycleRecords, loadFlagFacts, persist, refuseDeniedTargeting, targetingAudits, type Loaded } from './lifecycleStore.js';
import { arrangeIterations, findExperiment, loadIterations, type ExperimentDoc, type IterationDoc } from './model.js';
import { AUDIT_EXPAND, representExperiment } from './represent.js';
import { randomSeed } from './rollout.js';
import { findLayerReservation } from '../layers/model.js';
import { isObject } from '../../http/patch/resourcePatch.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  experimentKey: string;
}

const KINDS = ['updateName', 'updateDescription', 'startIteration', 'stopIteration', 'archiveExperiment', 'restoreExperiment', 'updateExperimentFields', 'saveAndStartNewIteration'];

/** Checks the body's shape and each instruction's parameters; every problem in one 400. */
function parseBody(body: unknown): { comment?: string; instructions: Record<string, unknown>[] } {
  if (Array.isArray(body)) {
    throw validationFailed([{ attribute: 'body', reason: 'experiments take a semantic patch {"instructions": [...]}, not a JSON Patch array' }]);
  }
  if (!isObject(body)) throw validationFailed([{ attribute: 'body', reason: 'must be an object with instructions' }]);
  const errors: FieldError[] = [];
  if (body.comment !== undefined && typeof body.comment !== 'string') errors.push({ attribute: 'comment', reason: 'must be a string' });
  if (!Array.isArray(body.instructions)) {
    errors.push({ attribute: 'instructions', reason: body.instructions === undefined ? 'must be present' : 'must be an array' });
    throw validationFailed(errors);
  }
  if (body.instructions.length === 0) errors.push({ attribute: 'instructions', reason: 'must have at least one instruction' });
  body.instructions.forEach((ins: unknown, i: number) => {
    const at = `instructions[${i}]`;
    if (!isObject(ins)) return errors.push({ attribute: at, reason: 'must be an object with a kind' });
    if (typeof ins.kind !== 'string' || !KINDS.includes(ins.kind)) {
      return errors.push({ attribute: `${at}.kind`, reason: `must be one of ${KINDS.join(', ')}` });
    }
    const text = (field: string, required: boolean) => {
      if (ins[field] === undefined) {
        if (required) errors.push({ attribute: `${at}.${field}`, reason: 'must be present' });
      } else if (typeof ins[field] !== 'string') errors.push({ attribute: `${at}.${field}`, reason: 'must be a string' });
    };
    switch (ins.kind) {
      case 'updateName':
      case 'updateDescription':
        text('value', true);
        break;
      case 'startIteration':
        text('changeJustification', false);
        break;
      case 'stopIteration':
        text('winningTreatmentId', true);
        text('winningReason', false);
        break;
      case 'saveAndStartNewIteration':
        text('changeJustification', false);
        if (ins.value !== undefined) checkFieldChanges(ins.value, `${at}.value`, errors);
        break;
      case 'updateExperimentFields':
        checkFieldChanges(ins.value, `${at}.value`, errors);
        break;
      default:
        break;
    }
    return undefined;
  });
  if (errors.length > 0) throw validationFailed(errors);
  return { comment: body.comment as string | undefined, instructions: body.instructions as Record<string, unknown>[] };
}

function checkFieldChanges(value: unknown, at: string, errors: FieldError[]): void {
  if (!isObject(value)) {
    errors.push({ attribute: at, reason: 'must be an object of {field: {operation, value}}' });
    return;
  }
  for (const [field, change] of Object.entries(value)) {
    if (!isObject(change) || !['add', 'update', 'remove'].includes(String(change.operation))) {
      errors.push({ attribute: `${at}.${field}.operation`, reason: 'must be add, update or remove' });
    }
  }
}

/**
 * The iteration as IterationInput, flag versions taken as current (an unchanged flag is not re-checked). Only a
 * bandit's carries its reallocationFrequencyMillis (another experiment keeps none).
 */
function inputOf(doc: IterationDoc, versions: Map<string, number>, bandit: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {
    hypothesis: doc.hypothesis,
    canReshuffleTraffic: doc.canReshuffleTraffic,
    metrics: doc.metrics.map((m) => ({ key: m.key, isGroup: m.isGroup })),
    treatments: doc.treatments.map((t) => ({ name: t.name, baseline: t.baseline, allocationPercent: t.allocationPercent, parameters: t.parameters })),
    flags: Object.fromEntries(
      Object.entries(doc.flags).map(([key, f]) => [key, { ruleId: f.ruleId, flagConfigVersion: versions.get(key) ?? f.flagConfigVersion, notInExperimentVariationId: f.notInExperimentVariationId }]),
    ),
    randomizationUnit: doc.randomizationUnit,
  };
  if (doc.primarySingleMetricKey) input.primarySingleMetricKey = doc.primarySingleMetricKey;
  if (doc.primaryFunnelKey) input.primaryFunnelKey = doc.primaryFunnelKey;
  if (doc.attributes) input.attributes = doc.attributes;
  if (bandit && doc.reallocationFrequencyMillis !== undefined) input.reallocationFrequencyMillis = doc.reallocationFrequencyMillis;
  return input;
}

/**
 * The same iteration keeps its treatments' ids: a treatment over several flags gets a fresh id when an iteration is
 * resolved (one over a single flag is its variation's), so one serving the same variations keeps the id it had.
 */
function keepTreatmentIds(next: IterationDoc, base: IterationDoc): void {
  const served = (t: IterationDoc['treatments'][number]) => t.parameters.map((p) => `${p.flagKey}\u0000${p.variationId}`).sort().join('\u0001');
  const ids = new Map(base.treatments.map((t) => [served(t), t._id]));
  for (const treatment of next.treatments) treatment._id = ids.get(served(treatment)) ?? treatment._id;
}

/**
 * Whether `item`, as a remove names it, is the stored `entry`: a key names the entry of that key; a metric given as
 * MetricInput (`{key, isGroup}`, isGroup false when left out) names the single metric or the group; anything else
 * must equal the entry.
 */
function names(item: unknown, entry: unknown): boolean {
  if (typeof item === 'string' && isObject(entry)) return entry.key === item;
  if (isObject(item) && isObject(entry) && typeof item.key === 'string' && Object.keys(item).every((k) => k === 'key' || k === 'isGroup')) {
    return entry.key === item.key && (item.isGroup === true) === (entry.isGroup === true);
  }
  return JSON.stringify(item) === JSON.stringify(entry);
}

/**
 * Applies iteration-level field changes to an IterationInput. `add` and `remove` apply to the list fields only (the
 * status's rules refuse them elsewhere, later); a remove naming nothing in the list is a 400 naming the item, and an
 * add's items keep their place in the request in the errors the resolved iteration reports (`rename`).
 */
function applyIterationChanges(input: Record<string, unknown>, value: Record<string, FieldChange>, at: string): { input: Record<string, unknown>; rename: (attribute: string) => string } {
  const out = { ...input };
  const errors: FieldError[] = [];
  const added = new Map<string, number>();
  for (const [field, change] of Object.entries(value)) {
    if (!(ITERATION_FIELDS as readonly string[]).includes(field)) continue;
    const items = Array.isArray(change.value) ? change.value : [change.value];
    const current = out[field] ?? [];
    if (change.operation === 'update') out[field] = change.value;
    else if (!Array.isArray(current)) continue;
    else if (change.operation === 'add') {
      added.set(field, current.length);
      out[field] = [...current, ...items];
    } else if (change.value === undefined) delete out[field];
    else {
      items.forEach((item, j) => {
        if (!current.some((entry) => names(item, entry))) {
          errors.push({ attribute: `${at}${field}${Array.isArray(change.value) ? `[${j}]` : ''}`, reason: `${JSON.stringify(item)} is not in the iteration's ${field}` });
        }
      });
      out[field] = current.filter((entry) => !items.some((item) => names(item, entry)));
    }
    if (field === 'primarySingleMetricKey' && change.operation === 'update') delete out.primaryFunnelKey;
    if (field === 'primaryFunnelKey' && change.operation === 'update') delete out.primarySingleMetricKey;
  }
  if (errors.length > 0) throw validationFailed(errors);
  const rename = (attribute: string): string => {
    for (const [field, offset] of added) {
      const head = `${at}${field}[`;
      const close = attribute.indexOf(']', head.length);
      const index = attribute.startsWith(head) && close > 0 ? Number(attribute.slice(head.length, close)) : NaN;
      if (index >= offset) return `${head}${index - offset}${attribute.slice(close)}`;
    }
    return attribute;
  };
  return { input: out, rename };
}

/** Whether the lifecycle left the experiment, its iterations and its flags' targeting as they were. */
function unchangedBy(before: LifecycleState, after: LifecycleState): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return (
    same(before.experiment, after.experiment) &&
    before.iterations.length === after.iterations.length &&
    after.iterations.every((it, k) => !it.isNew && !it.deleted && it.id === before.iterations[k].id && same(it.doc, before.iterations[k].doc)) &&
    Object.entries(after.flags).every(([key, facts]) => facts.config === before.flags[key]?.config)
  );
}

function hasIterationFields(value: Record<string, FieldChange> | undefined): boolean {
  return value !== undefined && Object.keys(value).some((field) => (ITERATION_FIELDS as readonly string[]).includes(field));
}

/**
 * A holdout's base experiment is the holdout (its name and description are the holdout's): renaming or describing it
 * here asks the custom roles what patchHoldout asks, `updateHoldoutName` and `updateHoldoutDescription` on the
 * holdout, besides the experiment action the route asked.
 */
async function refuseUnlessHoldoutAllows(deps: Deps, actor: Actor | undefined, place: { projectKey: string; environmentKey: string; holdoutKey: string }, raw: Record<string, unknown>[]): Promise<void> {
  const policy = actor?.policy;
  if (!policy) return;
  const resource = holdoutResource(place.projectKey, place.environmentKey, place.holdoutKey);
  const asks = (field: string) => raw.some((ins) => ins.kind === `update${field[0].toUpperCase()}${field.slice(1)}` || (isObject(ins.value) && Object.hasOwn(ins.value, field)));
  const actions = [...(asks('name') ? ['updateHoldoutName'] : []), ...(asks('description') ? ['updateHoldoutDescription'] : [])];
  await refuseUnlessAllowedTagged(deps.store.db, deps.catalog, policy, actions.map((action) => [{ resource, action }]));
}

/**
 * A holdout's base experiment starts with the holdout's first experiment and stops when the holdout ends; its
 * iteration is the holdout's design. Renaming and describing it (and tags, maintainer, analysis settings) stay open.
 */
function refuseOnHoldoutBase(experimentKey: string, raw: Record<string, unknown>[]): void {
  const errors: FieldError[] = [];
  raw.forEach((ins, i) => {
    const value = ins.value as Record<string, FieldChange> | undefined;
    const managed = !['updateName', 'updateDescription', 'updateExperimentFields'].includes(ins.kind as string) || hasIterationFields(value);
    if (managed) {
      errors.push({
        attribute: `instructions[${i}]`,
        reason: `experiment "${experimentKey}" is the base experiment of holdout "${experimentKey}": it starts with the holdout's first experiment and stops when the holdout ends (PATCH …/holdouts/${experimentKey}, endHoldout), and its iteration cannot be changed`,
      });
    }
  });
  if (errors.length > 0) throw validationFailed(errors);
}

/** Which of the single metrics a bandit's iterations (stored or new) use are analysed by a percentile. */
async function percentileMetricsOf(deps: Deps, projectId: string, state: LifecycleState, instructions: Instruction[]): Promise<Set<string>> {
  const docs = [...state.iterations.map((it) => it.doc), ...instructions.flatMap((ins) => ('iteration' in ins && ins.iteration ? [ins.iteration] : []))];
  const keys = [...new Set(docs.flatMap((doc) => doc.metrics.filter((m) => !m.isGroup).map((m) => m.key)))];
  const metrics = await deps.catalog.metrics(projectId, keys);
  return new Set(keys.filter((key) => metrics.get(key)?.doc.analysisType === 'percentile'));
}

/**
 * The metrics and groups the draft and the patch's new iterations name, as stored now. On PostgreSQL their rows are
 * share-locked until commit, so that a metric or group deleted or edited meanwhile (those writes lock the row) is
 * either seen gone or changed here, or sees the iteration running and refuses.
 */
async function metricFactsOf(deps: Deps, trx: Trx, projectId: string, state: LifecycleState, instructions: Instruction[]): Promise<MetricFacts> {
  const docs = [...state.iterations.filter((it) => it.doc.status === 'not_started').map((it) => it.doc), ...instructions.flatMap((ins) => ('iteration' in ins && ins.iteration ? [ins.iteration] : []))];
  const named = docs.flatMap((doc) => doc.metrics);
  const rows = async (table: 'metrics' | 'metric_groups', keys: string[]) => {
    if (keys.length === 0) return [];
    let query = trx.selectFrom(table as 'metrics').select(['key', 'doc']).where('project_id', '=', projectId).where('key', 'in', keys).orderBy('key');
    if (deps.store.kind === 'postgres') query = query.forShare();
    return (await query.execute()).map((row) => ({ key: row.key, doc: JSON.parse(row.doc) as Record<string, unknown> }));
  };
  const groups = (await rows('metric_groups', [...new Set(named.filter((m) => m.isGroup).map((m) => m.key))])).map((g) => ({ key: g.key, doc: g.doc as unknown as MetricGroupDoc }));
  const keys = new Set([...named.filter((m) => !m.isGroup).map((m) => m.key), ...groups.flatMap((g) => g.doc.metrics.map((m) => m.key))]);
  const metrics = (await rows('metrics', [...keys])).map((m) => ({ key: m.key, doc: m.doc as unknown as MetricDoc }));
  return {
    metrics: new Map(metrics.map(({ key, doc }) => [key, { key, units: doc.randomizationUnits }])),
    groups: new Map(groups.map(({ key, doc }) => [key, doc.metrics.map((m) => m.key)])),
  };
}

export function patchExperiment(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey', async (request) => {
    const { projectKey, environmentKey, experimentKey } = request.params;
    const { comment, instructions: raw } = parseBody(request.body);
    const expand = readExpand(request.query as Record<string, unknown>);

    const result = await deps.store.tx(async (trx) => {
      const { project, environment } = await findProjectEnvironment(trx, projectKey, environmentKey);
      const experiment = await findExperiment(trx, deps.store, environment.id, experimentKey, { projectKey, environmentKey }, true);
      // Read once the experiment is locked: a time read before would be earlier than that of a write queued ahead.
      const now = deps.now();
      const loaded: Loaded = { project, environment, experiment };
      // The holdout's row is locked before any flag, as patchHoldout locks it: a start and the holdout's end queue.
      const holdout = await holdoutFactsOf(trx, deps.store, loaded);
      const arranged = (await loadIterations(trx, [experiment.id], false)).get(experiment.id)!;
      const records = lifecycleRecords(arranged);
      const baseKeys = new Set(records.flatMap((it) => Object.keys(it.doc.flags)));

      // Versions as they stand, so that re-resolving an existing iteration does not trip on its own rollout.
      const versions = new Map<string, number>();
      const preFacts = await loadFlagFacts(trx, deps.store, loaded, [...baseKeys]);
      for (const [key, facts] of Object.entries(preFacts)) versions.set(key, facts.config.version);

      const state0: LifecycleState = { experiment: JSON.parse(experiment.doc) as ExperimentDoc, iterations: records, flags: preFacts };
      if (state0.experiment.type === 'holdout') {
        refuseOnHoldoutBase(experimentKey, raw);
        await refuseUnlessHoldoutAllows(deps, request.actor, { projectKey, environmentKey, holdoutKey: experimentKey }, raw);
      }
      const bandit = state0.experiment.type === 'mab';
      const instructions: Instruction[] = [];
      for (const [i, ins] of raw.entries()) {
        const kind = ins.kind as Instruction['kind'];
        if (kind === 'updateExperimentFields' || kind === 'saveAndStartNewIteration') {
          const value = ins.value as Record<string, FieldChange> | undefined;
          const maintainerId = value?.maintainerId?.value;
          if (typeof maintainerId === 'string' && maintainerId !== '' && !(await findMember(trx, maintainerId))) {
            throw validationFailed([{ attribute: `instructions[${i}].value.maintainerId`, reason: `member "${maintainerId}" not found` }]);
          }
          // What the status does not let change is refused as such, before the values are looked at.
          if (value !== undefined && isObject(value)) {
            try {
              checkChangesAllowed(state0, kind, value);
            } catch (err) {
              if (err instanceof LifecycleError) throw validationFailed([{ attribute: `instructions[${i}]`, reason: err.message }]);
              throw err;
            }
          }
          const base = kind === 'saveAndStartNewIteration' ? (currentOf(state0) ?? draftOf(state0)) : editedIteration(state0).record;
          let iteration: IterationDoc | undefined;
          if (base && (kind === 'saveAndStartNewIteration' || hasIterationFields(value))) {
            const prefix = `instructions[${i}].value.`;
            const changed = applyIterationChanges(inputOf(base.doc, versions, bandit), value ?? {}, prefix);
            try {
              iteration = await resolveIteration({ project, environment, prefix, now, bandit, lookups: storeLookups(trx, project.id, environment.id) }, changed.input);
            } catch (err) {
              if (err instanceof ApiError && err.errors) throw validationFailed(err.errors.map((e) => ({ ...e, attribute: changed.rename(e.attribute) })));
              throw err;
            }
            // Unchanged flags keep the version the iteration was created against.
            for (const [key, flag] of Object.entries(iteration.flags)) {
              const old = base.doc.flags[key];
              if (old && !(value && 'flags' in value)) flag.flagConfigVersion = old.flagConfigVersion;
            }
            if (kind === 'updateExperimentFields') keepTreatmentIds(iteration, base.doc);
          }
          if (kind === 'saveAndStartNewIteration') {
            if (!iteration) throw validationFailed([{ attribute: `instructions[${i}]`, reason: 'there is no iteration to save and start; create one first' }]);
            instructions.push({ kind, changeJustification: ins.changeJustification as string | undefined, value, iteration });
          } else instructions.push({ kind, value: value ?? {}, iteration });
        } else {
          instructions.push(ins as unknown as Instruction);
        }
      }

      // Flags the new iterations bring in, beyond those already loaded.
      const extraKeys = [...new Set(instructions.flatMap((ins) => ('iteration' in ins && ins.iteration ? Object.keys(ins.iteration.flags) : [])))].filter((k) => !baseKeys.has(k));
      const facts = { ...preFacts, ...(await loadFlagFacts(trx, deps.store, loaded, extraKeys)) };
      const flagIds = Object.fromEntries(Object.entries(facts).map(([key, f]) => [key, f.flagId]));
      const state: LifecycleState = { ...state0, flags: facts };
      const layer: LayerFacts | undefined = await findLayerReservation(trx, project.id, environment.key, experiment.key, deps.store);

      const percentileMetrics = state.experiment.type === 'mab' ? await percentileMetricsOf(deps, project.id, state, instructions) : undefined;
      const metrics = instructions.some((ins) => ins.kind === 'startIteration') ? await metricFactsOf(deps, trx, project.id, state, instructions) : undefined;
      const settings = instructions.some((ins) => ins.kind === 'startIteration' || ins.kind === 'saveAndStartNewIteration')
        ? await loadExperimentSettings(trx, project.id, deps.store.kind === 'postgres')
        : undefined;
      let next: LifecycleState;
      try {
        next = applyInstructions(state, instructions, {
          percentileMetrics,
          metrics,
          randomizationUnits: settings?.doc.randomizationUnits.map((u) => u.randomizationUnit),
          archivedUnits: settings?.archivedUnits,
          now,
          environmentKey,
          newSeed: randomSeed,
          newIterationId: () => objectId(now),
          layer,
          holdout: holdout?.facts,
        });
      } catch (err) {
        if (err instanceof LifecycleError) {
          const index = /^instructions\[(\d+)\]/.exec(err.message)?.[1] ?? '0';
          // A refusal of one member names it (instructions[0].value.name); another names the instruction.
          const error = err.at ? { attribute: err.at.field, reason: err.at.reason } : { attribute: `instructions[${index}]`, reason: err.message.replace(/^instructions\[\d+\] \([^)]*\): /, '') };
          throw new ApiError(err.status, err.code, err.message, err.status === 400 ? [error] : undefined);
        }
        throw err;
      }
      // A patch that changes nothing (archiving an archived experiment, a name as it is) writes nothing, as the flags'
      // and metrics' patches do: no version, no audit entry, no change notice.
      if (unchangedBy(state, next)) return { project, updated: experiment, iterations: arranged, changedFlags: [], base: { experimentIds: [], targeting: [] }, unchanged: true };
      const targeting = await persist(trx, loaded, state, next, flagIds);
      // The first of a holdout's experiments to start starts the holdout's own iteration.
      const startedOne = next.iterations.some((it) => it.doc.status === 'running' && state.iterations.find((o) => o.id === it.id)?.doc.status !== 'running');
      const base = holdout && startedOne ? await startBaseIteration(trx, deps.store, loaded, holdout.row, now) : { experimentIds: [], targeting: [] };
      await refuseDeniedTargeting(deps, request.actor, { projectKey, environmentKey }, [...targeting, ...base.targeting]);
      const justification = raw.map((ins) => ins.changeJustification).find((j): j is string => typeof j === 'string' && j !== '');
      const auditComment = [comment, justification].filter(Boolean).join(' — ') || undefined;
      const rows = await trx.selectFrom('iterations').selectAll().where('experiment_id', '=', experiment.id).execute();
      const updated = await trx.selectFrom('experiments').selectAll().where('id', '=', experiment.id).executeTakeFirstOrThrow();
      const iterations = arrangeIterations(rows);
      // The experiment's entry, then one for each flag whose targeting the patch changed (and the holdout's flag).
      const flagEntries = await targetingAudits(trx, loaded, [...targeting, ...base.targeting], auditComment, `by the experiment ${next.experiment.name}: ${raw.map((ins) => ins.kind).join(', ')}`);
      const experimentEntry = {
        kind: 'experiment',
        resource: `proj/${projectKey}:env/${environmentKey}:experiment/${experimentKey}`,
        action: 'updateExperiment',
        name: next.experiment.name,
        description: `updated the experiment ${next.experiment.name}: ${raw.map((ins) => ins.kind).join(', ')}`,
        projectKey,
        relatedFlagKey: Object.keys(next.flags)[0],
        comment: auditComment,
        delta: request.body,
        // The experiment as the API shows it (its draft, treatments, metrics and analysis settings), before and after.
        before: representExperiment(projectKey, environmentKey, experiment, { ...arranged, previous: [] }, AUDIT_EXPAND),
        after: representExperiment(projectKey, environmentKey, updated, { ...iterations, previous: [] }, AUDIT_EXPAND),
      };
      await recordAudits(trx, [experimentEntry, ...flagEntries].map((entry) => ({ actor: request.actor, now, entry })));
      return { project, updated, iterations, changedFlags: [...targeting, ...base.targeting].map((change) => change.flagId), base, unchanged: false };
    });
    if (!result.unchanged) for (const id of [result.updated.id, ...result.base.experimentIds]) deps.changed({ kind: 'experiment', projectId: result.project.id, id });
    for (const id of result.changedFlags) deps.changed({ kind: 'flag', projectId: result.project.id, id });
    return representExperiment(projectKey, environmentKey, result.updated, result.iterations, expand);
  });
}
