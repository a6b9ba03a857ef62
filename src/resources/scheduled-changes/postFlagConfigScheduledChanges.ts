// POST /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/scheduled-changes — schedule
// flag instructions for a date to come (201). They must apply to the flag as it is now (checked by a dry run of the
// update); one that conflicts with another schedule is a 409 unless `ignoreConflicts=true`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { flagEnvironmentAudit, flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { auditedSchedule, conflictsOf, executionDateProblem, readScheduledInstructions, refuseConflicts, serviceTokenOf, type ScheduledChangeDoc, type ScheduledChangeRow, schedulesOf } from './model.js';
import { representScheduledChange } from './represent.js';
import { checkApplies, SCHEDULES_URL } from './scope.js';

export function postFlagConfigScheduledChanges(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: FlagInEnvironmentParams }>(SCHEDULES_URL, async (request, reply) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationFailed([{ attribute: 'body', reason: 'must be an object {"executionDate": ..., "instructions": [...]}' }]);
    const input = body as Record<string, unknown>;
    const now = deps.now();
    const dateProblem = executionDateProblem(input.executionDate, now, 'executionDate');
    if (dateProblem) throw validationFailed([dateProblem]);
    if (input.comment !== undefined && typeof input.comment !== 'string') throw validationFailed([{ attribute: 'comment', reason: 'must be a string' }]);
    const instructions = readScheduledInstructions(input.instructions, 'instructions');
    await checkApplies(deps, await flagInEnvironment(deps, deps.store.db, request.params), instructions, request.actor);
    const { row, place, siblings } = await deps.store.tx(async (trx) => {
      const { flag, environment, place } = await flagInEnvironment(deps, trx, request.params);
      const others = await schedulesOf(trx, flag.row.id, environment.id);
      refuseConflicts(conflictsOf(instructions, others), request.query);
      const doc: ScheduledChangeDoc = { instructions, ...(input.comment ? { comment: input.comment as string } : {}), maintainerId: request.actor?.memberId ?? deps.accountId, ...serviceTokenOf(request.actor), version: 1 };
      const row: ScheduledChangeRow = { id: objectId(now), flag_id: flag.row.id, environment_id: environment.id, execution_date: input.executionDate as number, doc: JSON.stringify(doc), created_at: now };
      await trx.insertInto('flag_scheduled_changes').values(row).execute();
      const description = `scheduled changes to the flag ${flag.doc.name} in ${place.environmentKey} for ${new Date(row.execution_date).toISOString()}`;
      await recordAudit(trx, request.actor, now, flagEnvironmentAudit(place, flag.doc.name, 'createScheduledChanges', description, { after: auditedSchedule(row) }, doc.comment !== undefined ? { comment: doc.comment } : {}));
      return { row, place, siblings: [...others, row] };
    });
    return reply.code(201).send(representScheduledChange(row, place, siblings));
  });
}
