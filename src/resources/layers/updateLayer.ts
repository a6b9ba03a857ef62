// PATCH /api/v2/projects/{projectKey}/layers/{layerKey} — semantic patch: rename, describe, and add, change or
// remove experiments' traffic reservations in one environment. All instructions apply, or none (one 400 listing
// each refused instruction).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { optimisticLock, validationFailed, type FieldError } from '../../http/errors.js';
import { Name } from '../../http/schemas.js';
import { isUniqueViolation, type Trx } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { Description } from './createLayer.js';
import { findLayer, loadReservations, type LayerDoc, type LayerRow, type Reservation } from './model.js';
import { representLayers } from './represent.js';
import { readSemanticPatch, type InstructionOf } from '../../http/patch/semanticPatch.js';
import { isHoldoutBase } from '../holdouts/model.js';

const ExperimentKey = Type.String({ minLength: 1 });

const INSTRUCTIONS = {
  updateName: Type.Object({ kind: Type.Literal('updateName'), name: Name }),
  updateDescription: Type.Object({ kind: Type.Literal('updateDescription'), description: Description }),
  updateExperimentReservation: Type.Object({
    kind: Type.Literal('updateExperimentReservation'),
    experimentKey: ExperimentKey,
    reservationPercent: Type.Integer({ minimum: 0, maximum: 100 }),
  }),
  removeExperiment: Type.Object({ kind: Type.Literal('removeExperiment'), experimentKey: ExperimentKey }),
};
type Instruction = InstructionOf<typeof INSTRUCTIONS>;
type ReservationInstruction = Extract<Instruction, { experimentKey: string }>;

interface Params {
  projectKey: string;
  layerKey: string;
}

interface ExperimentRef {
  id: string;
  key: string;
  status: string;
  holdout_id?: string | null;
  doc?: string;
}

/** The environment-scoped part of a patch: the reservations it starts from and the ones it ends with. */
interface EnvironmentWork {
  id: string;
  key: string;
  before: Map<string, Reservation>;
  /** experiment id -> percent after the instructions so far. */
  after: Map<string, { experiment: ExperimentRef; percent: number }>;
  /** The experiments the instructions name, by key (absent: not in this environment). */
  experiments: Map<string, ExperimentRef>;
  /** The last instruction that raised a reservation: the one blamed when the total goes over 100. */
  lastRaise?: number;
}

export function updateLayer(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: Params }>('/api/v2/projects/:projectKey/layers/:layerKey', async (request) => {
    const { projectKey, layerKey } = request.params;
    const patch = readSemanticPatch(request.body, INSTRUCTIONS);
    const now = deps.now();
    const run = () =>
      deps.store.tx(async (trx) => {
        const project = await findProject(trx, projectKey);
        const layer = await findLayer(trx, deps.store, project.id, projectKey, layerKey, true);
        const beforeRep = (await representLayers(trx, [layer]))[0];
        const errors: FieldError[] = [];
        const doc = JSON.parse(layer.doc) as LayerDoc;
        let name = layer.name;
        const env = await loadEnvironmentWork(trx, deps, project.id, layer, patch, errors);

        for (const instruction of patch.instructions) {
          switch (instruction.kind) {
            case 'updateName':
              name = instruction.name;
              break;
            case 'updateDescription':
              doc.description = instruction.description;
              break;
            case 'updateExperimentReservation':
            case 'removeExperiment':
              await applyReservation(trx, layer, env, instruction, patch.environmentKey, errors);
              break;
          }
        }
        if (env && env.lastRaise !== undefined) {
          const total = [...env.after.values()].reduce((sum, r) => sum + r.percent, 0);
          if (total > 100) {
            errors.push({
              attribute: `instructions[${env.lastRaise}].reservationPercent`,
              reason: `reservations in environment "${env.key}" would total ${total}%; a layer's reservations may not exceed 100%`,
            });
          }
        }
        if (errors.length > 0) throw validationFailed(errors);

        await trx.updateTable('layers').set({ name, doc: JSON.stringify(doc) }).where('id', '=', layer.id).execute();
        if (env) await writeReservations(trx, layer.id, env, now);
        const updated: LayerRow = { ...layer, name, doc: JSON.stringify(doc) };
        const afterRep = (await representLayers(trx, [updated]))[0];
        // A patch that changes nothing (removing an experiment the layer does not hold) records nothing.
        if (JSON.stringify(afterRep) === JSON.stringify(beforeRep)) return { projectId: project.id, layerId: layer.id, rep: afterRep };
        await recordAudit(trx, request.actor, now, {
          kind: 'layer',
          resource: `proj/${projectKey}:layer/${layerKey}`,
          action: 'updateLayer',
          name,
          description: `updated the layer ${name}`,
          projectKey,
          ...(patch.comment !== undefined ? { comment: patch.comment } : {}),
          delta: request.body,
          before: beforeRep,
          after: afterRep,
        });
        return { projectId: project.id, layerId: layer.id, rep: afterRep };
      });
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run();
    } catch (err) {
      // Another request reserved the same experiment in another layer between our read and our write.
      if (isUniqueViolation(err)) throw optimisticLock('Conflict. A concurrent request changed these reservations; try again.');
      throw err;
    }
    deps.changed({ kind: 'layer', projectId: result.projectId, id: result.layerId });
    return result.rep;
  });
}

async function loadEnvironmentWork(
  trx: Trx,
  deps: Deps,
  projectId: string,
  layer: LayerRow,
  patch: { environmentKey?: string; instructions: Instruction[] },
  errors: FieldError[],
): Promise<EnvironmentWork | undefined> {
  const environmentKey = patch.environmentKey;
  if (environmentKey === undefined) return undefined;
  const environment = await trx.selectFrom('environments').select(['id', 'key']).where('project_id', '=', projectId).where('key', '=', environmentKey).executeTakeFirst();
  if (!environment) {
    errors.push({ attribute: 'environmentKey', reason: `environment "${environmentKey}" not found in this project` });
    return undefined;
  }
  const before = new Map((await loadReservations(trx, [layer.id], environment.id)).map((r) => [r.experimentId, r]));
  const after = new Map(
    [...before.values()].map((r) => [r.experimentId, { experiment: { id: r.experimentId, key: r.experimentKey, status: r.experimentStatus }, percent: r.reservationPercent }]),
  );
  const keys = patch.instructions.flatMap((instruction) => ('experimentKey' in instruction ? [instruction.experimentKey] : []));
  return { id: environment.id, key: environment.key, before, after, experiments: await lockExperiments(trx, deps, environment.id, keys) };
}

/**
 * The named experiments of one environment, locked on PostgreSQL so no iteration starts between the check of its
 * status and the commit. Locked in id order, so two patches naming the same experiments cannot deadlock.
 */
async function lockExperiments(trx: Trx, deps: Deps, environmentId: string, keys: string[]): Promise<Map<string, ExperimentRef>> {
  if (keys.length === 0) return new Map();
  let query = trx.selectFrom('experiments').select(['id', 'key', 'status', 'holdout_id', 'doc']).where('environment_id', '=', environmentId).where('key', 'in', [...new Set(keys)]).orderBy('id');
  if (deps.store.kind === 'postgres') query = query.forUpdate();
  return new Map((await query.execute()).map((row) => [row.key, row]));
}

/** Applies one reservation instruction to env.after, or records why it cannot be applied. */
async function applyReservation(
  trx: Trx,
  layer: LayerRow,
  env: EnvironmentWork | undefined,
  instruction: ReservationInstruction,
  environmentKey: string | undefined,
  errors: FieldError[],
): Promise<void> {
  const at = `instructions[${instruction.index}]`;
  if (environmentKey === undefined) {
    errors.push({ attribute: 'environmentKey', reason: `must be present: ${at} (${instruction.kind}) changes reservations in one environment` });
    return;
  }
  if (!env) return; // the unknown environment is already reported
  const experiment = env.experiments.get(instruction.experimentKey);
  if (!experiment) {
    errors.push({ attribute: `${at}.experimentKey`, reason: `experiment "${instruction.experimentKey}" not found in environment "${env.key}"` });
    return;
  }
  const current = env.after.get(experiment.id)?.percent;
  const original = env.before.get(experiment.id)?.reservationPercent;
  const running = experiment.status === 'running';
  if (instruction.kind === 'removeExperiment') {
    if (current === undefined) return; // not in this layer: nothing to remove
    if (running && original !== undefined) {
      errors.push({
        attribute: `${at}.experimentKey`,
        reason: `experiment "${experiment.key}" is running; its reservation cannot be removed until its iteration stops`,
      });
      return;
    }
    env.after.delete(experiment.id);
    return;
  }

  const percent = instruction.reservationPercent;
  if (original === undefined && experiment.holdout_id) {
    // LaunchDarkly: an experiment is in a holdout or in a layer, never both.
    errors.push({ attribute: `${at}.experimentKey`, reason: `experiment "${experiment.key}" is in a holdout; an experiment in a holdout cannot be in a layer` });
    return;
  }
  if (original === undefined && experiment.doc !== undefined && isHoldoutBase(experiment.doc)) {
    errors.push({ attribute: `${at}.experimentKey`, reason: `experiment "${experiment.key}" is a holdout's base experiment; it cannot be in a layer` });
    return;
  }
  if (original === undefined) {
    const holder = await otherLayerHolding(trx, layer.id, experiment.id);
    if (holder) {
      errors.push({
        attribute: `${at}.experimentKey`,
        reason: `experiment "${experiment.key}" already has a reservation in layer "${holder}" in environment "${env.key}"; an experiment can be in one layer per environment (remove it there first)`,
      });
      return;
    }
    if (running) {
      errors.push({
        attribute: `${at}.experimentKey`,
        reason: `experiment "${experiment.key}" is running; it can join a layer only before its iteration starts`,
      });
      return;
    }
  } else if (running && percent < original) {
    errors.push({
      attribute: `${at}.reservationPercent`,
      reason: `experiment "${experiment.key}" is running with ${original}% reserved; its reservation cannot be reduced (to ${percent}%) until its iteration stops`,
    });
    return;
  }
  env.after.set(experiment.id, { experiment, percent });
  if (current === undefined || percent > current) env.lastRaise = instruction.index;
}

async function otherLayerHolding(trx: Trx, layerId: string, experimentId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('layer_reservations as r')
    .innerJoin('layers as l', 'l.id', 'r.layer_id')
    .select('l.key')
    .where('r.experiment_id', '=', experimentId)
    .where('r.layer_id', '!=', layerId)
    .executeTakeFirst();
  return row?.key;
}

/** Writes the difference between env.before and env.after; a kept reservation keeps its place, a new one goes last. */
async function writeReservations(trx: Trx, layerId: string, env: EnvironmentWork, now: number): Promise<void> {
  for (const [experimentId] of env.before) {
    if (!env.after.has(experimentId)) await trx.deleteFrom('layer_reservations').where('experiment_id', '=', experimentId).execute();
  }
  let position = Math.max(0, ...[...env.before.values()].map((r) => r.position));
  for (const [experimentId, { percent }] of env.after) {
    const before = env.before.get(experimentId);
    if (!before) {
      position += 1;
      await trx
        .insertInto('layer_reservations')
        .values({ experiment_id: experimentId, layer_id: layerId, environment_id: env.id, reservation_percent: percent, position, created_at: now })
        .execute();
    } else if (before.reservationPercent !== percent) {
      await trx.updateTable('layer_reservations').set({ reservation_percent: percent }).where('experiment_id', '=', experimentId).execute();
    }
  }
}
