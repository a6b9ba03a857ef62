// GET /api/v2/approval-requests — the approval requests of the projects the caller may view, newest first, filtered
// (`filter=status anyOf ["pending"], projectKey equals p, ...`), paged (limit 20 by default, 200 at most) and expanded.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { filterMatches, parseFilterTree, type FilterClause, type FilterFields } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { projectViewer } from '../custom-roles/access.js';
import { flagInEnvironment, flagResource, type FlagInEnvironment } from '../flags/inEnvironment.js';
import { approvalDoc, type ApprovalRow } from './model.js';
import { representAccountWide } from './accountWide.js';
import { APPROVALS_URL } from './scope.js';

const FIELDS: FilterFields = {
  notifyMemberIds: ['anyOf'],
  requestorId: ['equals'],
  resourceId: ['equals'],
  resourceKind: ['equals'],
  reviewStatus: ['anyOf', 'equals'],
  status: ['anyOf', 'equals'],
  projectKey: ['equals'],
};

type Listed = ApprovalRow & { projectKey: string; flagKey: string; environmentKey: string };

function matches(clause: FilterClause, row: Listed): boolean {
  const values = clause.values;
  switch (clause.field) {
    case 'notifyMemberIds':
      return approvalDoc(row).notifyMemberIds.some((id) => values.includes(id));
    case 'requestorId':
      return values.includes(row.requestor_id);
    case 'resourceId':
      return values.includes(flagResource({ projectKey: row.projectKey, environmentKey: row.environmentKey, flagKey: row.flagKey }));
    case 'resourceKind':
      return values.includes('flag');
    case 'reviewStatus':
      return values.includes(row.review_status);
    case 'status':
      return values.includes(row.status);
    default:
      return values.includes(row.projectKey);
  }
}

export function getApprovalRequests(app: FastifyInstance, deps: Deps): void {
  app.get(APPROVALS_URL, async (request) => {
    const query = request.query as Record<string, unknown>;
    const filter = parseFilterTree(query.filter, FIELDS);
    const page = readPage(query, 20, 200);
    const db = deps.store.db;
    const views = await projectViewer(db, request.actor);
    const rows: Listed[] = await db
      .selectFrom('flag_approval_requests as a')
      .innerJoin('projects as p', 'p.id', 'a.project_id')
      .innerJoin('flags as f', 'f.id', 'a.flag_id')
      .innerJoin('environments as e', 'e.id', 'a.environment_id')
      .selectAll('a')
      .select(['p.key as projectKey', 'f.key as flagKey', 'e.key as environmentKey'])
      .orderBy('a.created_at', 'desc')
      .orderBy('a.id', 'desc')
      .execute();
    const kept = rows.filter((row) => (!views || views(row.projectKey)) && filterMatches(filter, row, matches));
    const shown = kept.slice(page.offset, page.offset + page.limit);
    const pending = rows.filter((row) => row.status === 'pending');
    // A page often holds several requests of one flag in one environment: each is loaded once.
    const scopes = new Map<string, Promise<FlagInEnvironment>>();
    const scopeOf = (row: Listed) => {
      const key = `${row.flag_id}\u0000${row.environment_id}`;
      let scope = scopes.get(key);
      if (!scope) scopes.set(key, (scope = flagInEnvironment(deps, db, { projectKey: row.projectKey, featureFlagKey: row.flagKey, environmentKey: row.environmentKey })));
      return scope;
    };
    const items = await Promise.all(
      shown.map(async (row) => {
        const scope = await scopeOf(row);
        const siblings = pending.filter((other) => other.flag_id === row.flag_id && other.environment_id === row.environment_id);
        return representAccountWide(scope, row, siblings, query);
      }),
    );
    const params = { filter: typeof query.filter === 'string' ? query.filter : undefined, expand: typeof query.expand === 'string' ? query.expand : undefined };
    return { items, totalCount: kept.length, _links: pageLinks(APPROVALS_URL, page, kept.length, params) };
  });
}
