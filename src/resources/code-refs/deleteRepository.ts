// DELETE /api/v2/code-refs/repositories/{repo} — remove a repository with its branches and extinctions: 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findRepository } from './model.js';
import { repositoryAudit, representRepository } from './represent.js';

export function deleteRepository(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { repo: string } }>('/api/v2/code-refs/repositories/:repo', async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findRepository(trx, request.params.repo, deps.store);
      await trx.deleteFrom('code_ref_extinctions').where('repo_name', '=', row.name).execute();
      await trx.deleteFrom('code_ref_branches').where('repo_name', '=', row.name).execute();
      await trx.deleteFrom('code_ref_repositories').where('name', '=', row.name).execute();
      await recordAudit(trx, request.actor, now, repositoryAudit(row.name, 'deleteCodeRefsRepository', 'deleted', { before: representRepository(row) }));
    });
    return reply.code(204).send();
  });
}
