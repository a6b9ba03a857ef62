// DELETE …/workflows/{workflowId} — stop and delete a workflow: its stages to come never run (what it applied stays),
// and its approval requests still pending are deleted with it; 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { flagEnvironmentAudit, flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { auditedWorkflow, findWorkflow, WORKFLOWS_URL, workflowDoc } from './model.js';

export function deleteWorkflow(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: FlagInEnvironmentParams & { workflowId: string } }>(`${WORKFLOWS_URL}/:workflowId`, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const { flag, environment, place } = await flagInEnvironment(deps, trx, request.params);
      const row = await findWorkflow(trx, { flagId: flag.row.id, environmentId: environment.id, id: request.params.workflowId }, deps.store);
      const doc = workflowDoc(row);
      const asked = doc.stages.flatMap((stage) => stage.conditions.flatMap((c) => (c.approvalRequestId !== undefined ? [c.approvalRequestId] : [])));
      if (asked.length > 0) await trx.deleteFrom('flag_approval_requests').where('id', 'in', asked).where('status', '=', 'pending').execute();
      await trx.deleteFrom('flag_workflows').where('id', '=', row.id).execute();
      const description = `deleted the workflow "${doc.name}" of the flag ${flag.doc.name} in ${place.environmentKey}`;
      await recordAudit(trx, request.actor, now, flagEnvironmentAudit(place, flag.doc.name, 'updateFeatureWorkflows', description, { before: auditedWorkflow(row.id, doc) }));
    });
    return reply.code(204).send();
  });
}
