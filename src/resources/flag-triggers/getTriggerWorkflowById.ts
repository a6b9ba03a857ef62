// GET /api/v2/flags/{projectKey}/{featureFlagKey}/triggers/{environmentKey}/{id} — one trigger, its URL obscured.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { findTrigger, TRIGGERS_URL } from './model.js';
import { representTrigger, serverBase, triggerContext } from './represent.js';

export function getTriggerWorkflowById(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagInEnvironmentParams & { id: string } }>(`${TRIGGERS_URL}/:id`, async (request) => {
    const db = deps.store.db;
    const { flag, environment, place } = await flagInEnvironment(deps, db, request.params);
    const row = await findTrigger(db, { flagId: flag.row.id, environmentId: environment.id, id: request.params.id });
    return representTrigger(row, place, await triggerContext(db, serverBase(request), [row]));
  });
}
