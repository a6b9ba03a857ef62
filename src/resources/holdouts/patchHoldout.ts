// PATCH …/holdouts/{holdoutKey} (beta) — semantic patch: updateName, updateDescription, removeExperiment,
// endHoldout. Ending stops the holdout's iteration ("Not in holdout" wins, so its flag serves that to everyone) and
// takes the holdout's flag off the prerequisites of its experiments' flags; a removed experiment's flags lose it too.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { Name } from '../../http/schemas.js';
import { recordAudits } from '../audit-log/record.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { refuseDeniedTargeting, targetingAudits } from '../experiments/lifecycleStore.js';
import type { ExperimentDoc } from '../experiments/model.js';
import { endBaseIteration, releaseExperiments, type Touched } from './baseExperiment.js';
import { findHoldout, type HoldoutDoc } from './model.js';
import { loadViews, representHoldout } from './represent.js';

// The reference documents `value` for every instruction; its schema's example names `name`. Both are read.
const INSTRUCTIONS = {
  updateName: Type.Object({ kind: Type.Literal('updateName'), value: Type.Optional(Name), name: Type.Optional(Name) }),
  updateDescription: Type.Object({
    kind: Type.Literal('updateDescription'),
    value: Type.Optional(Type.String({ maxLength: 65536 })),
    description: Type.Optional(Type.String({ maxLength: 65536 })),
  }),
  removeExperiment: Type.Object({ kind: Type.Literal('removeExperiment'), value: Type.Optional(Type.String({ minLength: 1 })), experimentKey: Type.Optional(Type.String({ minLength: 1 })) }),
  endHoldout: Type.Object({ kind: Type.Literal('endHoldout') }),
};

interface Params {
  projectKey: string;
  environmentKey: string;
  holdoutKey: string;
}

export function patchHoldout(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/holdouts/:holdoutKey', { config: { beta: true } }, async (request) => {
    const { projectKey, environmentKey, holdoutKey } = request.params;
    const patch = readSemanticPatch(request.body, INSTRUCTIONS);
    const now = deps.now();

    const result = await deps.store.tx(async (trx) => {
      const where = await findProjectEnvironment(trx, projectKey, environmentKey);
      const { project, environment } = where;
      const holdout = await findHoldout(trx, deps.store, environment.id, holdoutKey, { projectKey, environmentKey }, true);
      const [before] = await loadViews(trx, [holdout]);
      const beforeRep = representHoldout(projectKey, environmentKey, before);
      const doc: HoldoutDoc = { ...before.doc };
      const base: ExperimentDoc = { ...before.baseDoc };
      const members = new Map(before.members.map((m) => [m.key, m]));
      const removed: string[] = [];
      let ending = false;
      const errors: FieldError[] = [];

      for (const instruction of patch.instructions) {
        const at = `instructions[${instruction.index}]`;
        switch (instruction.kind) {
          case 'updateName': {
            const name = instruction.value ?? instruction.name;
            if (name === undefined) errors.push({ attribute: `${at}.value`, reason: 'must be present: the new name' });
            else base.name = name;
            break;
          }
          case 'updateDescription': {
            const description = instruction.value ?? instruction.description;
            if (description === undefined) errors.push({ attribute: `${at}.value`, reason: 'must be present: the new description' });
            else base.description = description;
            break;
          }
          case 'removeExperiment': {
            const key = instruction.value ?? instruction.experimentKey;
            const member = key === undefined ? undefined : members.get(key);
            if (key === undefined) errors.push({ attribute: `${at}.value`, reason: 'must be present: the key of the experiment to remove' });
            else if (!member) errors.push({ attribute: `${at}.value`, reason: `experiment "${key}" is not in holdout "${holdoutKey}"` });
            else if (member.status === 'running') {
              errors.push({ attribute: `${at}.value`, reason: `experiment "${key}" is running; stop its iteration before removing it from the holdout` });
            } else {
              members.delete(key);
              removed.push(member.id);
            }
            break;
          }
          case 'endHoldout':
            // Ending an ended holdout changes nothing, as archiving an archived experiment does not.
            if (doc.endedAt === undefined) ending = true;
            break;
        }
      }
      if (errors.length > 0) throw validationFailed(errors);
      const renamed = base.name !== before.baseDoc.name || base.description !== before.baseDoc.description;
      // A patch that changes nothing (an ended holdout ended again, a name set to itself) writes and audits nothing.
      if (removed.length === 0 && !ending && !renamed) return { projectId: project.id, experimentIds: [], flagIds: [], rep: beforeRep };

      const touched: Touched[] = [];
      if (removed.length > 0) {
        for (const member of before.members.filter((m) => removed.includes(m.id))) {
          const { holdoutId: _gone, ...rest } = JSON.parse(member.doc) as ExperimentDoc;
          await trx.updateTable('experiments').set({ holdout_id: null, doc: JSON.stringify(rest) }).where('id', '=', member.id).execute();
        }
        touched.push(await releaseExperiments(trx, deps.store, where, holdout, removed, now));
      }
      if (ending) {
        touched.push(await endBaseIteration(trx, deps.store, where, holdout, now));
        touched.push(await releaseExperiments(trx, deps.store, where, holdout, [...members.values()].map((m) => m.id), now));
        doc.endedAt = now;
      }
      doc.updatedAt = now;
      await trx.updateTable('holdouts').set({ doc: JSON.stringify(doc) }).where('id', '=', holdout.id).execute();
      if (renamed) {
        // The base experiment's row is read again: ending the holdout stopped its iteration.
        const baseRow = await trx.selectFrom('experiments').select('doc').where('id', '=', holdout.experiment_id).executeTakeFirstOrThrow();
        const stored = JSON.parse(baseRow.doc) as ExperimentDoc;
        await trx
          .updateTable('experiments')
          .set({ name: base.name, doc: JSON.stringify({ ...stored, name: base.name, ...(base.description !== undefined ? { description: base.description } : {}) }) })
          .where('id', '=', holdout.experiment_id)
          .execute();
      }

      // What the holdout's end or release does to flags, a role that denies it on a flag refuses, as an experiment's stop.
      await refuseDeniedTargeting(deps, request.actor, { projectKey, environmentKey }, touched.flatMap((t) => t.targeting));
      const [after] = await loadViews(trx, [{ ...holdout, doc: JSON.stringify(doc) }]);
      const rep = representHoldout(projectKey, environmentKey, after);
      // The holdout's entry, then one for each flag whose targeting it changed (its own flag, its experiments').
      const flagEntries = await targetingAudits(trx, where, touched.flatMap((t) => t.targeting), patch.comment, `by the holdout ${base.name}: ${patch.instructions.map((i) => i.kind).join(', ')}`);
      const holdoutEntry = {
        kind: 'holdout',
        resource: `proj/${projectKey}:env/${environmentKey}:holdout/${holdoutKey}`,
        action: 'updateHoldout',
        name: base.name,
        description: `updated the holdout ${base.name}: ${patch.instructions.map((i) => i.kind).join(', ')}`,
        projectKey,
        ...(patch.comment !== undefined ? { comment: patch.comment } : {}),
        delta: request.body,
        before: beforeRep,
        after: rep,
      };
      await recordAudits(trx, [holdoutEntry, ...flagEntries].map((entry) => ({ actor: request.actor, now, entry })));
      const experimentIds = new Set([holdout.experiment_id, ...touched.flatMap((t) => t.experimentIds)]);
      return { projectId: project.id, experimentIds: [...experimentIds], flagIds: [...new Set(touched.flatMap((t) => t.targeting.map((change) => change.flagId)))], rep };
    });
    for (const id of result.experimentIds) deps.changed({ kind: 'experiment', projectId: result.projectId, id });
    for (const id of result.flagIds) deps.changed({ kind: 'flag', projectId: result.projectId, id });
    return result.rep;
  });
}
