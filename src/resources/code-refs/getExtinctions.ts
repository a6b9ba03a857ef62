// GET /api/v2/code-refs/extinctions — extinctions by flag key, newest first: of each repository's default branch, as
// the spec says, unless `branchName` names one; filtered by `repoName`, `projKey`, `flagKey`, and `from` with `to`
// (Unix milliseconds, inclusive; one without the other is a 400) on their time.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseEpochMillisParam } from '../../http/filter.js';
import { link } from '../../http/links.js';
import { queryText } from '../../http/filter.js';
import { repositoryDoc } from './model.js';

export function getExtinctions(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Record<string, unknown> }>('/api/v2/code-refs/extinctions', async (request) => {
    const q = request.query;
    const from = parseEpochMillisParam(q.from, 'from');
    const to = parseEpochMillisParam(q.to, 'to');
    if ((from === undefined) !== (to === undefined)) {
      throw validationFailed([{ attribute: from === undefined ? 'from' : 'to', reason: `must be given with ${from === undefined ? 'to' : 'from'}` }]);
    }
    const db = deps.store.db;
    let query = db.selectFrom('code_ref_extinctions').selectAll();
    for (const [param, column] of [['repoName', 'repo_name'], ['branchName', 'branch_name'], ['projKey', 'proj_key'], ['flagKey', 'flag_key']] as const) {
      const value = queryText(q[param]);
      if (value !== undefined) query = query.where(column, '=', value);
    }
    if (from !== undefined && to !== undefined) query = query.where('time', '>=', from).where('time', '<=', to);
    const found = await query.orderBy('time', 'desc').orderBy('id', 'desc').execute();
    let rows = found;
    if (queryText(q.branchName) === undefined) {
      const repositories = await db.selectFrom('code_ref_repositories').select(['name', 'doc']).execute();
      const defaultBranch = new Map(repositories.map((repo) => [repo.name, repositoryDoc(repo).defaultBranch]));
      rows = found.filter((row) => defaultBranch.get(row.repo_name) === row.branch_name);
    }
    const items: Record<string, unknown[]> = {};
    for (const row of rows) {
      const doc = JSON.parse(row.doc) as { revision: string; message: string };
      (items[row.flag_key] ??= []).push({ revision: doc.revision, message: doc.message, time: Number(row.time), flagKey: row.flag_key, projKey: row.proj_key });
    }
    return { items, _links: { self: link('/api/v2/code-refs/extinctions') } };
  });
}
