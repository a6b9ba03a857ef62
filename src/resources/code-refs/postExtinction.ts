// POST /api/v2/code-refs/repositories/{repo}/branches/{branch}/extinction-events — record that flags' last references
// were removed from a branch (the body: one Extinction each, with the revision and its message): 200.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { ExtinctionListPost, findRepository } from './model.js';

export function postExtinction(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { repo: string; branch: string }; Body: ExtinctionListPost }>(
    '/api/v2/code-refs/repositories/:repo/branches/:branch/extinction-events',
    { schema: { body: ExtinctionListPost } },
    async (request, reply) => {
      const now = deps.now();
      await deps.store.tx(async (trx) => {
        const repo = await findRepository(trx, request.params.repo, deps.store);
        const branch = await trx.selectFrom('code_ref_branches').select('name').where('repo_name', '=', repo.name).where('name', '=', request.params.branch).executeTakeFirst();
        if (!branch) throw notFound(`Branch "${request.params.branch}" of repository "${repo.name}"`);
        const rows = request.body.map((e) => ({
          id: objectId(now),
          repo_name: repo.name,
          branch_name: branch.name,
          proj_key: e.projKey,
          flag_key: e.flagKey,
          time: e.time,
          doc: JSON.stringify({ revision: e.revision, message: e.message }),
        }));
        // In slices: SQLite takes a bounded number of parameters a statement.
        for (let i = 0; i < rows.length; i += 500) await trx.insertInto('code_ref_extinctions').values(rows.slice(i, i + 500)).execute();
      });
      return reply.code(200).send();
    },
  );
}
