// GET /api/v2/code-refs/repositories — every repository, by name. As the spec says, `withBranches` set to any value
// adds each one's branches (without references), and `withReferencesForDefaultBranch` (or `projKey` / `flagKey`) its
// default branch with the references; `projKey` and `flagKey` keep only their hunks, and only the repositories whose
// default branch has some.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { queryText } from '../../http/filter.js';
import { branchDoc, referencesOf, repositoryDoc, type BranchRow } from './model.js';
import { byText } from '../../store/reads.js';
import { REPOSITORIES_PATH, representBranch, representRepository } from './represent.js';

export function getRepositories(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Record<string, unknown> }>('/api/v2/code-refs/repositories', async (request) => {
    const filter = { projKey: queryText(request.query.projKey), flagKey: queryText(request.query.flagKey) };
    const filtered = filter.projKey !== undefined || filter.flagKey !== undefined;
    const withBranches = request.query.withBranches !== undefined;
    const withReferences = request.query.withReferencesForDefaultBranch !== undefined || filtered;
    const db = deps.store.db;
    const [rows, branches] = await Promise.all([
      db.selectFrom('code_ref_repositories').selectAll().execute().then((rows) => byText(rows, 'name')),
      withBranches || withReferences ? db.selectFrom('code_ref_branches').selectAll().execute().then((rows) => byText(rows, 'name')) : Promise.resolve([] as BranchRow[]),
    ]);
    const items = rows.flatMap((row) => {
      const own = branches.filter((b) => b.repo_name === row.name);
      const defaultBranch = own.find((b) => b.name === repositoryDoc(row).defaultBranch);
      // A filter lists the repositories whose default branch refers to that project or flag.
      if (filtered && (!defaultBranch || referencesOf(branchDoc(defaultBranch), filter).length === 0)) return [];
      if (withReferences) return [representRepository(row, defaultBranch ? [representBranch(row.name, defaultBranch, true, filter)] : [])];
      if (withBranches) return [representRepository(row, own.map((b) => representBranch(row.name, b, false)))];
      return [representRepository(row)];
    });
    return { items, _links: { self: link(REPOSITORIES_PATH) } };
  });
}
