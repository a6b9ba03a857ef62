// DELETE /api/v2/projects/{projectKey}/release-policies/{policyKey} (beta) — deletes a policy: 204; those ranked after
// it move up one.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject } from '../projects/projects.js';
import { findPolicy, listPolicies, POLICY_PATH, rerank, type PolicyParams } from './model.js';
import { policyAudit, representPolicy } from './represent.js';

export function DeleteReleasePolicy(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: PolicyParams }>(POLICY_PATH, { config: { beta: true } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      await lockProject(trx, deps.store, project.id);
      const row = await findPolicy(trx, project, request.params.policyKey);
      await trx.deleteFrom('release_policies').where('id', '=', row.id).execute();
      await rerank(trx, await listPolicies(trx, project.id));
      await recordAudit(trx, request.actor, now, policyAudit(project.key, row, 'deleteReleasePolicy', 'deleted', { before: representPolicy(row) }));
    });
    return reply.code(204).send();
  });
}
