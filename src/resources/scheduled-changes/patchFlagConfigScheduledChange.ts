// PATCH …/scheduled-changes/{id} — a semantic patch on a schedule: replaceScheduledChangesInstructions (checked as
// a new schedule's are, conflicts included), updateScheduledChangesExecutionDate (a date to come), or
// deleteScheduledChange (alone; answered with the schedule as it was). All apply or none; 200 with the schedule.
// New instructions, and a new date, are refused (405) where the environment requires approval for the flag, unless
// its bypassApprovalsForPendingChanges.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { recordAudit } from '../audit-log/record.js';
import { flagEnvironmentAudit, flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { auditedSchedule, conflictsOf, executionDateProblem, findScheduledChange, readScheduledInstructions, refuseConflicts, scheduledChangeDoc, serviceTokenOf, type ScheduledChangeRow, schedulesOf } from './model.js';
import { representScheduledChange } from './represent.js';
import { checkApplies, refuseUnapprovedSchedule, SCHEDULES_URL } from './scope.js';

const INSTRUCTIONS = {
  replaceScheduledChangesInstructions: Type.Object({ kind: Type.Literal('replaceScheduledChangesInstructions'), value: Type.Unknown() }),
  updateScheduledChangesExecutionDate: Type.Object({ kind: Type.Literal('updateScheduledChangesExecutionDate'), value: Type.Unknown() }),
  deleteScheduledChange: Type.Object({ kind: Type.Literal('deleteScheduledChange') }),
};

export function patchFlagConfigScheduledChange(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: FlagInEnvironmentParams & { id: string } }>(`${SCHEDULES_URL}/:id`, async (request) => {
    const patch = readSemanticPatch(request.body, INSTRUCTIONS);
    const now = deps.now();
    const deleting = patch.instructions.some((i) => i.kind === 'deleteScheduledChange');
    if (deleting && patch.instructions.length > 1) throw validationFailed([{ attribute: 'instructions', reason: 'deleteScheduledChange must be the only instruction' }]);
    let instructions: Record<string, unknown>[] | undefined;
    let executionDate: number | undefined;
    for (const instruction of patch.instructions) {
      const at = `instructions[${instruction.index}].value`;
      if (instruction.kind === 'replaceScheduledChangesInstructions') instructions = readScheduledInstructions(instruction.value, at);
      if (instruction.kind === 'updateScheduledChangesExecutionDate') {
        const problem = executionDateProblem(instruction.value, now, at);
        if (problem) throw validationFailed([problem]);
        executionDate = instruction.value as number;
      }
    }
    if (instructions || executionDate !== undefined) {
      const scope = await flagInEnvironment(deps, deps.store.db, request.params);
      if (instructions) await checkApplies(deps, scope, instructions, request.actor);
      else await refuseUnapprovedSchedule(deps, scope, request.actor);
    }
    const { row, place, siblings } = await deps.store.tx(async (trx) => {
      const { flag, environment, place } = await flagInEnvironment(deps, trx, request.params);
      const row = await findScheduledChange(trx, { flagId: flag.row.id, environmentId: environment.id, id: request.params.id }, deps.store);
      const others = (await schedulesOf(trx, flag.row.id, environment.id)).filter((s) => s.id !== row.id);
      const flagName = flag.doc.name;
      const extra = { delta: { instructions: (request.body as { instructions: unknown }).instructions }, ...(patch.comment !== undefined ? { comment: patch.comment } : {}) };
      if (deleting) {
        await trx.deleteFrom('flag_scheduled_changes').where('id', '=', row.id).execute();
        await recordAudit(trx, request.actor, now, flagEnvironmentAudit(place, flagName, 'deleteScheduledChanges', `cancelled scheduled changes to the flag ${flagName} in ${place.environmentKey}`, { before: auditedSchedule(row) }, extra));
        return { row, place, siblings: [...others, row] };
      }
      const old = scheduledChangeDoc(row);
      const doc = { ...old, ...(instructions ? { instructions } : {}), ...serviceTokenOf(request.actor), version: old.version + 1 };
      if (instructions) refuseConflicts(conflictsOf(instructions, others), request.query);
      const next: ScheduledChangeRow = { ...row, execution_date: executionDate ?? Number(row.execution_date), doc: JSON.stringify(doc) };
      if (JSON.stringify(old.instructions) === JSON.stringify(doc.instructions) && next.execution_date === Number(row.execution_date)) return { row, place, siblings: [...others, row] };
      await trx.updateTable('flag_scheduled_changes').set({ execution_date: next.execution_date, doc: next.doc }).where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, flagEnvironmentAudit(place, flagName, 'updateScheduledChanges', `updated scheduled changes to the flag ${flagName} in ${place.environmentKey}`, { before: auditedSchedule(row), after: auditedSchedule(next) }, extra));
      return { row: next, place, siblings: [...others, next] };
    });
    return representScheduledChange(row, place, siblings);
  });
}
