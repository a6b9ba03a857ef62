// Applies due schedules: every 5 seconds each instance reads the schedules whose date has come and applies each
// through the flag update path (a new version, streamed to the SDKs, audited without a member, "as scheduled"),
// forgetting it in the same transaction. One that no longer applies (refused with a 4xx: its rule removed, its flag
// archived...) is forgotten and logged; one that fails for another reason is tried again at the next pass. Safe on
// several instances: the schedule's row is locked and read again inside the flag's transaction.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { type JobLog, startJob } from '../../http/jobs.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { flagResource } from '../flags/inEnvironment.js';
import { settleScheduledRequest } from '../approvals/model.js';
import { scheduledChangeDoc } from './model.js';
import { scheduledUpdate } from './scope.js';

const INTERVAL_MS = 5_000;

/** Applies the schedules due at deps.now(), soonest first; returns how many it read. */
export async function executeDueScheduledChanges(deps: Deps, log?: JobLog, limit = 50, closing?: AbortSignal): Promise<number> {
  const now = deps.now();
  const due = await deps.store.db
    .selectFrom('flag_scheduled_changes as s')
    .innerJoin('flags as f', 'f.id', 's.flag_id')
    .innerJoin('projects as p', 'p.id', 'f.project_id')
    .innerJoin('environments as e', 'e.id', 's.environment_id')
    .select(['s.id', 's.flag_id', 's.environment_id', 's.execution_date', 's.doc', 'f.key as flagKey', 'p.id as projectId', 'p.key as projectKey', 'e.key as environmentKey'])
    .where('s.execution_date', '<=', now)
    .orderBy('s.execution_date')
    .orderBy('s.id')
    .limit(limit)
    .execute();
  for (const schedule of due) {
    // The app is closing: the rest wait for the next run (of this instance or another).
    if (closing?.aborted) break;
    const doc = scheduledChangeDoc(schedule);
    const place = { id: schedule.id, flagId: schedule.flag_id, environmentId: schedule.environment_id };
    try {
      await commitFlagUpdate(deps, {
        project: { id: schedule.projectId, key: schedule.projectKey },
        flagKey: schedule.flagKey,
        update: scheduledUpdate(schedule.environmentKey, doc.instructions, doc.comment),
        actor: undefined,
        // With the flag locked: the schedule still there and still due (not moved or cancelled since), forgotten now.
        inside: async (trx, flag) => {
          let query = trx.selectFrom('flag_scheduled_changes').select(['id', 'execution_date']).where('id', '=', schedule.id);
          if (deps.store.kind === 'postgres') query = query.forUpdate();
          const current = await query.executeTakeFirst();
          if (!current || Number(current.execution_date) > now || flag.row.id !== schedule.flag_id) return false;
          await trx.deleteFrom('flag_scheduled_changes').where('id', '=', schedule.id).execute();
          await settleScheduledRequest(trx, place, { status: 'completed' });
          return true;
        },
        audit: (flag) => ({
          resource: flagResource(schedule),
          action: 'updateFlag',
          description: `applied scheduled changes to the flag ${flag.name} in ${schedule.environmentKey}, as scheduled`,
        }),
      });
    } catch (err) {
      if (err instanceof ApiError && err.statusCode < 500) {
        await deps.store.tx(async (trx) => {
          const dropped = await trx.deleteFrom('flag_scheduled_changes').where('id', '=', schedule.id).where('execution_date', '<=', now).executeTakeFirst();
          if (Number(dropped.numDeletedRows) > 0) await settleScheduledRequest(trx, place, { status: 'failed', failure: err.message });
        });
        log?.warn({ err, scheduledChangeId: schedule.id }, 'scheduled changes no longer apply to their flag; the schedule is dropped');
      } else {
        log?.warn({ err, scheduledChangeId: schedule.id }, 'could not apply scheduled changes; trying again at the next run');
      }
    }
  }
  return due.length;
}

export function startScheduledChangesJob(app: FastifyInstance, deps: Deps): void {
  startJob(app, INTERVAL_MS, (closing) => executeDueScheduledChanges(deps, app.log, 50, closing), 'could not apply scheduled changes');
}
