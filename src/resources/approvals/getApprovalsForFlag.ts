// GET /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/approval-requests — the
// flag's approval requests in the environment, newest first.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { approvalsOf } from './model.js';
import { flagApprovalsPath, representFlagApproval } from './represent.js';
import { FLAG_APPROVALS_URL } from './scope.js';

export function getApprovalsForFlag(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagInEnvironmentParams }>(FLAG_APPROVALS_URL, async (request) => {
    const db = deps.store.db;
    const { flag, environment, place } = await flagInEnvironment(deps, db, request.params);
    const rows = await approvalsOf(db, flag.row.id, environment.id);
    return { _links: { self: link(flagApprovalsPath(place)) }, items: rows.map((row) => representFlagApproval(row, place, rows)) };
  });
}
