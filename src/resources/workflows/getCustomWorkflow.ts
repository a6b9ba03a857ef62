// GET …/workflows/{workflowId} — one workflow of the flag in the environment, with where it is in its run.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { findWorkflow, WORKFLOWS_URL, workflowDoc } from './model.js';
import { representWorkflow } from './represent.js';
import { workflowContext } from './scope.js';

export function getCustomWorkflow(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagInEnvironmentParams & { workflowId: string } }>(`${WORKFLOWS_URL}/:workflowId`, async (request) => {
    const db = deps.store.db;
    const scope = await flagInEnvironment(deps, db, request.params);
    const row = await findWorkflow(db, { flagId: scope.flag.row.id, environmentId: scope.environment.id, id: request.params.workflowId });
    return representWorkflow(row.id, Number(row.created_at), workflowDoc(row), await workflowContext(db, scope));
  });
}
