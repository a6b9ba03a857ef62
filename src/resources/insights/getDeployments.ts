// GET /api/v2/engineering-insights/deployments (beta) — the deployments of a project's environment that started in
// the window (7 days before `to` by default), newest first, of the applications named, of a kind and status when
// asked; pages of `limit` (20, at most 100) behind `after`/`before` cursors (a deployment's id); `expand`
// pullRequests, flagReferences.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readKnownExpand } from '../../http/links.js';
import { DEPLOYMENT_EXPANDS, DEPLOYMENT_KINDS, DEPLOYMENT_STATUSES, deploymentDoc, deploymentsIn, representDeployment } from './deployments.js';
import { cursorLinks, cursorPage, readKeys, readLimit, readOption, readRequired, readWindow, type Query } from './query.js';

export const DEPLOYMENTS_PATH = '/api/v2/engineering-insights/deployments';

export function getDeployments(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>(DEPLOYMENTS_PATH, { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    const projectKey = readRequired(query, 'projectKey');
    const environmentKey = readRequired(query, 'environmentKey');
    const applications = readKeys(query, 'applicationKey');
    const limit = readLimit(query);
    const expand = readKnownExpand(query, DEPLOYMENT_EXPANDS);
    const window = readWindow(query, deps.now());
    const kind = readOption(query, 'kind', DEPLOYMENT_KINDS);
    const status = readOption(query, 'status', DEPLOYMENT_STATUSES);
    const { environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    const rows = (await deploymentsIn(deps.store.db, environment.id, window, applications)).filter(
      (row) => (status === undefined || row.status === status) && (kind === undefined || deploymentDoc(row).kind === kind),
    );
    const { page, ...cursors } = cursorPage(rows, query, limit);
    return { totalCount: rows.length, items: page.map((row) => representDeployment(row, expand)), _links: cursorLinks(DEPLOYMENTS_PATH, query, cursors) };
  });
}
