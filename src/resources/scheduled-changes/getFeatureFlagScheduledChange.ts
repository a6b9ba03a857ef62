// GET /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/scheduled-changes/{id} — one
// schedule, with its conflicts.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { findScheduledChange, schedulesOf } from './model.js';
import { representScheduledChange } from './represent.js';
import { SCHEDULES_URL } from './scope.js';

export function getFeatureFlagScheduledChange(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagInEnvironmentParams & { id: string } }>(`${SCHEDULES_URL}/:id`, async (request) => {
    const db = deps.store.db;
    const { flag, environment, place } = await flagInEnvironment(deps, db, request.params);
    const row = await findScheduledChange(db, { flagId: flag.row.id, environmentId: environment.id, id: request.params.id });
    return representScheduledChange(row, place, await schedulesOf(db, flag.row.id, environment.id));
  });
}
