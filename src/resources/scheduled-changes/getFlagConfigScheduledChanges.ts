// GET /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/scheduled-changes — the
// flag's schedules in the environment, soonest first, each with its conflicts.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { schedulesOf } from './model.js';
import { representScheduledChange, schedulesPath } from './represent.js';
import { SCHEDULES_URL } from './scope.js';

export function getFlagConfigScheduledChanges(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagInEnvironmentParams }>(SCHEDULES_URL, async (request) => {
    const db = deps.store.db;
    const { flag, environment, place } = await flagInEnvironment(deps, db, request.params);
    const rows = await schedulesOf(db, flag.row.id, environment.id);
    return { _links: { self: link(schedulesPath(place)) }, items: rows.map((row) => representScheduledChange(row, place, rows)) };
  });
}
