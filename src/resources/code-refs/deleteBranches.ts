// POST /api/v2/code-refs/repositories/{repo}/branch-delete-tasks — delete the named branches of a repository (the
// body: their names), as ld-find-code-refs prunes branches gone from the remote. LaunchDarkly runs this as a task;
// iterlab deletes them before answering 200. Names that are no branch are passed over.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findRepository } from './model.js';

const BranchNames = Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 10_000 });

export function deleteBranches(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { repo: string }; Body: string[] }>('/api/v2/code-refs/repositories/:repo/branch-delete-tasks', { schema: { body: BranchNames } }, async (request, reply) => {
    await deps.store.tx(async (trx) => {
      const repo = await findRepository(trx, request.params.repo, deps.store);
      if (request.body.length > 0) await trx.deleteFrom('code_ref_branches').where('repo_name', '=', repo.name).where('name', 'in', request.body).execute();
    });
    return reply.code(200).send();
  });
}
