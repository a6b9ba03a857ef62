// GET /api/v2/code-refs/repositories/{repo}/branches/{branch} — a branch with its references; `projKey` and
// `flagKey` keep only the hunks of that project and flag.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { queryText } from '../../http/filter.js';
import { findRepository } from './model.js';
import { representBranch } from './represent.js';

export function getBranch(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { repo: string; branch: string }; Querystring: Record<string, unknown> }>('/api/v2/code-refs/repositories/:repo/branches/:branch', async (request) => {
    const repo = await findRepository(deps.store.db, request.params.repo);
    const row = await deps.store.db.selectFrom('code_ref_branches').selectAll().where('repo_name', '=', repo.name).where('name', '=', request.params.branch).executeTakeFirst();
    if (!row) throw notFound(`Branch "${request.params.branch}" of repository "${repo.name}"`);
    return representBranch(repo.name, row, true, { projKey: queryText(request.query.projKey), flagKey: queryText(request.query.flagKey) });
  });
}
