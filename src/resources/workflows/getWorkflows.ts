// GET /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/workflows — the flag's
// workflows in the environment: `status` (active, completed, failed) filters, `sort` by creationDate or stopDate
// (newest first unless asked; a running one stops after every stopped one), `limit` (20) and `offset` page.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { compareBy, parseSort, queryText } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { WORKFLOWS_URL, workflowDoc, type WorkflowRow } from './model.js';
import { representWorkflow, representWorkflows, workflowsPath } from './represent.js';
import { workflowContext } from './scope.js';

const STATUSES = ['active', 'completed', 'failed'];
const SORTS = ['creationDate', 'stopDate'] as const;

export function getWorkflows(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagInEnvironmentParams; Querystring: Record<string, unknown> }>(WORKFLOWS_URL, async (request) => {
    const db = deps.store.db;
    const status = queryText(request.query.status);
    if (status !== undefined && !STATUSES.includes(status)) throw validationFailed([{ attribute: 'status', reason: `must be one of ${STATUSES.join(', ')}` }]);
    const sort = parseSort(queryText(request.query.sort), SORTS, '-creationDate') as { field: (typeof SORTS)[number]; descending: boolean };
    const page = readPage(request.query, 20);
    const scope = await flagInEnvironment(deps, db, request.params);
    const context = await workflowContext(db, scope);
    const value = (row: WorkflowRow, field: (typeof SORTS)[number] | 'id'): string | number =>
      field === 'id' ? row.id : field === 'creationDate' ? Number(row.created_at) : (workflowDoc(row).execution.stopDate ?? Number.MAX_SAFE_INTEGER);
    const chosen = context.workflows
      .filter((row) => status === undefined || row.status === status)
      .sort(compareBy<WorkflowRow, (typeof SORTS)[number] | 'id'>([sort, { field: 'creationDate', descending: sort.descending }, { field: 'id', descending: sort.descending }], value));
    const items = chosen.slice(page.offset, page.offset + page.limit).map((row) => representWorkflow(row.id, Number(row.created_at), workflowDoc(row), context));
    return representWorkflows(items, chosen.length, pageLinks(workflowsPath(scope.place), page, chosen.length, { status, sort: queryText(request.query.sort) }));
  });
}
