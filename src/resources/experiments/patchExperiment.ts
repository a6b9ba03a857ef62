// PATCH …/experiments/{experimentKey} — semantic patch: rename, start, stop, archive, restore, update fields.
// Loads what the lifecycle needs, runs the pure state machine, and writes the outcome in one transaction.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError, validationFailed, type FieldError } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import type { Store, Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findProjectEnvironment, type EnvironmentRow } from '../environments/environments.js';
import { saveFlagConfig, type FlagConfigDoc, type FlagDoc } from '../flags/model.js';
import type { ProjectRow } from '../projects/projects.js';
import { resolveIteration, storeLookups } from './iterationInput.js';
import {
  applyInstructions,
  ITERATION_FIELDS,
  LifecycleError,
  statusOf,
  currentOf,
  draftOf,
  type FieldChange,
  type FlagFacts,
  type Instruction,
  type IterationRecord,
  type LayerFacts,
  type LifecycleState,
} from './lifecycle.js';
import { arrangeIterations, findExperiment, loadIterations, RUNNING_STATUS, type ExperimentDoc, type ExperimentRow, type IterationDoc } from './model.js';
import { representExperiment } from './represent.js';
import { randomSeed } from './rollout.js';
import { findLayerReservation } from '../layers/model.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  experimentKey: string;
}

const KINDS = ['updateName', 'updateDescription', 'startIteration', 'stopIteration', 'archiveExperiment', 'restoreExperiment', 'updateExperimentFields', 'saveAndStartNewIteration'];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

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

/** The iteration as IterationInput, flag versions taken as current (an unchanged flag is not re-checked). */
function inputOf(doc: IterationDoc, versions: Map<string, number>): Record<string, unknown> {
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
  if (doc.reallocationFrequencyMillis !== undefined) input.reallocationFrequencyMillis = doc.reallocationFrequencyMillis;
  if (doc.covariateId !== undefined) input.covariateId = doc.covariateId;
  return input;
}

/** Applies iteration-level field changes to an IterationInput. */
function applyIterationChanges(input: Record<string, unknown>, value: Record<string, FieldChange>): Record<string, unknown> {
  const out = { ...input };
  for (const [field, change] of Object.entries(value)) {
    if (!(ITERATION_FIELDS as readonly string[]).includes(field)) continue;
    const items = Array.isArray(change.value) ? change.value : [change.value];
    if (change.operation === 'update') out[field] = change.value;
    else if (change.operation === 'add') out[field] = [...((out[field] as unknown[]) ?? []), ...items];
    else if (change.value === undefined) delete out[field];
    else out[field] = ((out[field] as unknown[]) ?? []).filter((x) => !items.some((item) => JSON.stringify(item) === JSON.stringify(x) || (isObject(x) && x.key === item)));
    if (field === 'primarySingleMetricKey' && change.operation === 'update') delete out.primaryFunnelKey;
    if (field === 'primaryFunnelKey' && change.operation === 'update') delete out.primarySingleMetricKey;
  }
  return out;
}

function hasIterationFields(value: Record<string, FieldChange> | undefined): boolean {
  return value !== undefined && Object.keys(value).some((field) => (ITERATION_FIELDS as readonly string[]).includes(field));
}

interface Loaded {
  project: ProjectRow;
  environment: EnvironmentRow;
  experiment: ExperimentRow;
}

/**
 * Current targeting of the flags, row-locked on PostgreSQL in key order, so concurrent starts cannot deadlock. The
 * flag row is locked before its targeting, as a flag patch locks them (lockFlag): locking only the targeting let a
 * flag patch and a start each hold what the other needed next (deadlock), and the flag document read unlocked here
 * is written back with `_version + 1`, which overwrote a flag patch that committed in between.
 */
async function loadFlagFacts(trx: Trx, store: Store, loaded: Loaded, flagKeys: string[]): Promise<Record<string, FlagFacts & { flagId: string }>> {
  const out: Record<string, FlagFacts & { flagId: string }> = {};
  if (flagKeys.length === 0) return out;
  let flagQuery = trx.selectFrom('flags').select(['id', 'key', 'doc']).where('project_id', '=', loaded.project.id).where('key', 'in', flagKeys).orderBy('key');
  if (store.kind === 'postgres') flagQuery = flagQuery.forUpdate();
  const flags = await flagQuery.execute();
  for (const flag of flags) {
    let query = trx.selectFrom('flag_configs').select('doc').where('flag_id', '=', flag.id).where('environment_id', '=', loaded.environment.id);
    if (store.kind === 'postgres') query = query.forUpdate();
    const config = await query.executeTakeFirst();
    if (!config) continue;
    out[flag.key] = { flagId: flag.id, doc: JSON.parse(flag.doc) as FlagDoc, config: JSON.parse(config.doc) as FlagConfigDoc, ownedBy: {} };
  }
  // Which of those flags' rules other running experiments of this environment hold.
  const running = await trx
    .selectFrom('iterations as i')
    .innerJoin('experiments as e', 'e.id', 'i.experiment_id')
    .select(['e.key', 'i.doc'])
    .where('e.environment_id', '=', loaded.environment.id)
    .where('e.id', '!=', loaded.experiment.id)
    .where('i.status', '=', RUNNING_STATUS)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('experiment_refs as r').select('r.key').whereRef('r.iteration_id', '=', 'i.id').where('r.kind', '=', 'flag').where('r.key', 'in', flagKeys)),
    )
    .execute();
  for (const row of running) {
    const doc = JSON.parse(row.doc) as IterationDoc;
    for (const [flagKey, flag] of Object.entries(doc.flags)) if (out[flagKey]) out[flagKey].ownedBy[flag.ruleId] = row.key;
  }
  return out;
}

async function writeRefs(trx: Trx, experimentId: string, iterationId: string, doc: IterationDoc): Promise<void> {
  await trx.deleteFrom('experiment_refs').where('iteration_id', '=', iterationId).execute();
  const refs = [...Object.keys(doc.flags).map((key) => ({ kind: 'flag', key })), ...doc.metrics.map((m) => ({ kind: m.isGroup ? 'metric-group' : 'metric', key: m.key }))];
  if (refs.length > 0) {
    await trx.insertInto('experiment_refs').values(refs.map((r) => ({ experiment_id: experimentId, iteration_id: iterationId, ...r }))).execute();
  }
}

/** Writes what the lifecycle changed: experiment, iterations (stops before starts, for the one-running index), flags. */
async function persist(trx: Trx, loaded: Loaded, before: LifecycleState, after: LifecycleState, flagIds: Record<string, string>): Promise<void> {
  const experiment = loaded.experiment;
  await trx
    .updateTable('experiments')
    .set({ name: after.experiment.name, doc: JSON.stringify(after.experiment), status: statusOf(after), archived_date: after.experiment.archivedDate ?? null })
    .where('id', '=', experiment.id)
    .execute();

  const original = new Map(before.iterations.map((it) => [it.id, JSON.stringify(it.doc)]));
  const rank = (it: IterationRecord) => (it.deleted ? 0 : it.doc.status === 'stopped' ? 1 : it.isNew ? 2 : 3);
  for (const it of [...after.iterations].sort((a, b) => rank(a) - rank(b))) {
    if (it.deleted) {
      if (!it.isNew) await trx.deleteFrom('iterations').where('id', '=', it.id).execute();
      continue;
    }
    const doc = JSON.stringify(it.doc);
    if (it.isNew) {
      await trx
        .insertInto('iterations')
        .values({ id: it.id, experiment_id: experiment.id, status: it.doc.status, doc, created_at: it.doc.createdAt, started_at: it.doc.startedAt ?? null })
        .execute();
      await writeRefs(trx, experiment.id, it.id, it.doc);
    } else if (original.get(it.id) !== doc) {
      await trx.updateTable('iterations').set({ status: it.doc.status, doc, started_at: it.doc.startedAt ?? null }).where('id', '=', it.id).execute();
      await writeRefs(trx, experiment.id, it.id, it.doc);
    }
  }

  for (const [flagKey, facts] of Object.entries(after.flags)) {
    if (facts.config === before.flags[flagKey]?.config) continue;
    await saveFlagConfig(trx, flagIds[flagKey], loaded.environment.id, facts.config);
    const flagDoc: FlagDoc = { ...facts.doc, _version: facts.doc._version + 1 };
    await trx.updateTable('flags').set({ doc: JSON.stringify(flagDoc) }).where('id', '=', flagIds[flagKey]).execute();
  }
}

export function patchExperiment(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey', async (request) => {
    const { projectKey, environmentKey, experimentKey } = request.params;
    const { comment, instructions: raw } = parseBody(request.body);
    const now = deps.now();
    const expand = readExpand(request.query as Record<string, unknown>);

    const result = await deps.store.tx(async (trx) => {
      const { project, environment } = await findProjectEnvironment(trx, projectKey, environmentKey);
      const experiment = await findExperiment(trx, deps.store, environment.id, experimentKey, { projectKey, environmentKey }, true);
      const loaded: Loaded = { project, environment, experiment };
      const arranged = (await loadIterations(trx, [experiment.id], false)).get(experiment.id)!;
      const records: IterationRecord[] = [arranged.current, arranged.draft]
        .filter((it, i, all): it is NonNullable<typeof it> => it !== undefined && all.findIndex((o) => o?.id === it.id) === i)
        .map((it) => ({ id: it.id, doc: it.doc, isNew: false, deleted: false }));
      const baseKeys = new Set(records.flatMap((it) => Object.keys(it.doc.flags)));

      // Versions as they stand, so that re-resolving an existing iteration does not trip on its own rollout.
      const versions = new Map<string, number>();
      const preFacts = await loadFlagFacts(trx, deps.store, loaded, [...baseKeys]);
      for (const [key, facts] of Object.entries(preFacts)) versions.set(key, facts.config.version);

      const state0: LifecycleState = { experiment: JSON.parse(experiment.doc) as ExperimentDoc, iterations: records, flags: preFacts };
      const instructions: Instruction[] = [];
      for (const [i, ins] of raw.entries()) {
        const kind = ins.kind as Instruction['kind'];
        if (kind === 'updateExperimentFields' || kind === 'saveAndStartNewIteration') {
          const value = ins.value as Record<string, FieldChange> | undefined;
          const status = statusOf(state0);
          const base =
            kind === 'saveAndStartNewIteration'
              ? (currentOf(state0) ?? draftOf(state0))
              : status === 'not_started'
                ? (draftOf(state0) ?? currentOf(state0))
                : currentOf(state0);
          let iteration: IterationDoc | undefined;
          if (base && (kind === 'saveAndStartNewIteration' || hasIterationFields(value))) {
            try {
              iteration = await resolveIteration(
                { project, environment, prefix: `instructions[${i}].value.`, now, lookups: storeLookups(trx, project.id, environment.id) },
                applyIterationChanges(inputOf(base.doc, versions), value ?? {}),
              );
            } catch (err) {
              if (err instanceof ApiError && err.errors) throw validationFailed(err.errors);
              throw err;
            }
            // Unchanged flags keep the version the iteration was created against.
            for (const [key, flag] of Object.entries(iteration.flags)) {
              const old = base.doc.flags[key];
              if (old && !(value && 'flags' in value)) flag.flagConfigVersion = old.flagConfigVersion;
            }
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
      const layer: LayerFacts | undefined = await findLayerReservation(trx, project.id, environment.key, experiment.key);

      let next: LifecycleState;
      try {
        next = applyInstructions(state, instructions, {
          now,
          environmentKey,
          newSeed: randomSeed,
          newIterationId: () => objectId(now),
          layer,
        });
      } catch (err) {
        if (err instanceof LifecycleError) {
          const index = /^instructions\[(\d+)\]/.exec(err.message)?.[1] ?? '0';
          throw new ApiError(err.status, err.code, err.message, err.status === 400 ? [{ attribute: `instructions[${index}]`, reason: err.message.replace(/^instructions\[\d+\] \([^)]*\): /, '') }] : undefined);
        }
        throw err;
      }
      await persist(trx, loaded, state, next, flagIds);
      const justification = raw.map((ins) => ins.changeJustification).find((j): j is string => typeof j === 'string' && j !== '');
      await recordAudit(trx, request.actor, now, {
        kind: 'experiment',
        resource: `proj/${projectKey}:env/${environmentKey}:experiment/${experimentKey}`,
        action: 'updateExperiment',
        name: next.experiment.name,
        description: `updated the experiment ${next.experiment.name}: ${raw.map((ins) => ins.kind).join(', ')}`,
        projectKey,
        comment: [comment, justification].filter(Boolean).join(' — ') || undefined,
        before: { experiment: state.experiment, iterations: state.iterations.map((it) => ({ _id: it.id, status: it.doc.status })) },
        after: { experiment: next.experiment, iterations: next.iterations.map((it) => ({ _id: it.id, status: it.doc.status, deleted: it.deleted })), instructions: raw },
      });
      const changedFlags = Object.keys(next.flags).filter((key) => next.flags[key].config !== state.flags[key]?.config);
      const rows = await trx.selectFrom('iterations').selectAll().where('experiment_id', '=', experiment.id).execute();
      const updated = await trx.selectFrom('experiments').selectAll().where('id', '=', experiment.id).executeTakeFirstOrThrow();
      return { project, updated, iterations: arrangeIterations(rows), changedFlags, flagIds };
    });
    deps.changed({ kind: 'experiment', projectId: result.project.id, id: result.updated.id });
    for (const key of result.changedFlags) deps.changed({ kind: 'flag', projectId: result.project.id, id: result.flagIds[key] });
    return representExperiment(projectKey, environmentKey, result.updated, result.iterations, expand);
  });
}
