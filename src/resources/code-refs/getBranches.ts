// GET /api/v2/code-refs/repositories/{repo}/branches — the repository's branches by name, without their references.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { findRepository } from './model.js';
import { byText } from '../../store/reads.js';
import { repositoryPath, representBranch } from './represent.js';

export function getBranches(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { repo: string } }>('/api/v2/code-refs/repositories/:repo/branches', async (request) => {
    const repo = await findRepository(deps.store.db, request.params.repo);
    const rows = byText(await deps.store.db.selectFrom('code_ref_branches').selectAll().where('repo_name', '=', repo.name).execute(), 'name');
    return { items: rows.map((row) => representBranch(repo.name, row, false)), _links: { self: link(`${repositoryPath(repo.name)}/branches`) } };
  });
}
