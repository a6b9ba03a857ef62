// GET /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/scheduled-changes/{id} — one
// schedule, with its conflicts.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findScheduledChange, schedulesOf } from './model.js';
import { representScheduledChange } from './represent.js';
import { SCHEDULES_URL, scheduleScope, type ScheduleParams } from './scope.js';

export function getFeatureFlagScheduledChange(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ScheduleParams & { id: string } }>(`${SCHEDULES_URL}/:id`, async (request) => {
    const db = deps.store.db;
    const { flag, environment, place } = await scheduleScope(deps, db, request.params);
    const row = await findScheduledChange(db, { flagId: flag.row.id, environmentId: environment.id, id: request.params.id });
    return representScheduledChange(row, place, await schedulesOf(db, flag.row.id, environment.id));
  });
}
