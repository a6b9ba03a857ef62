// PUT /api/v2/code-refs/repositories/{repo}/branches/{branch} — a branch's references as ld-find-code-refs found them
// at `head`, replacing what the branch held (it is made if new): 200. A branch stored with an `updateSequenceId` is
// only replaced by a higher one: a lower or equal one is a 409 `updateSequenceId_conflict`, which ld-find-code-refs
// reads as "older data, skipped". One without a sequence id always replaces.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError, validationFailed } from '../../http/errors.js';
import { branchDoc, branchFromPut, branchNameProblem, BranchPut, findRepository } from './model.js';

export function putBranch(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: { repo: string; branch: string }; Body: BranchPut }>('/api/v2/code-refs/repositories/:repo/branches/:branch', { schema: { body: BranchPut } }, async (request, reply) => {
    const body = request.body;
    if (body.name !== request.params.branch) throw validationFailed([{ attribute: 'name', reason: `must be the branch the path names ("${request.params.branch}"), not "${body.name}"` }]);
    const tooLong = branchNameProblem(body.name);
    if (tooLong) throw validationFailed([{ attribute: 'name', reason: tooLong }]);
    const doc = branchFromPut(body);
    await deps.store.tx(async (trx) => {
      // The repository's row is the lock every write to its branches takes, so that two pushes are ordered.
      const repo = await findRepository(trx, request.params.repo, deps.store);
      const existing = await trx.selectFrom('code_ref_branches').select('doc').where('repo_name', '=', repo.name).where('name', '=', body.name).executeTakeFirst();
      const stored = existing ? branchDoc(existing).updateSequenceId : undefined;
      if (stored !== undefined && doc.updateSequenceId !== undefined && doc.updateSequenceId <= stored) {
        throw new ApiError(409, 'updateSequenceId_conflict', `updateSequenceId ${doc.updateSequenceId} is not above the branch's ${stored}: newer references are kept`);
      }
      if (existing) await trx.updateTable('code_ref_branches').set({ doc: JSON.stringify(doc) }).where('repo_name', '=', repo.name).where('name', '=', body.name).execute();
      else await trx.insertInto('code_ref_branches').values({ repo_name: repo.name, name: body.name, doc: JSON.stringify(doc) }).execute();
    });
    return reply.code(200).send();
  });
}
