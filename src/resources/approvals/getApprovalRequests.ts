// GET /api/v2/approval-requests — the approval requests (of flags and of segments) of the projects the caller may view, newest first, filtered
// (`filter=status anyOf ["pending"], projectKey equals p, ...`), paged (limit 20 by default, 200 at most) and expanded.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { filterMatches, parseFilterTree, type FilterClause, type FilterFields } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { projectViewer } from '../custom-roles/access.js';
import { flagInEnvironment, flagResource } from '../flags/inEnvironment.js';
import { approvalDoc, keyedRequests, type KeyedRequest, type RequestRow } from './model.js';
import { representAccountWide, representSegmentAccountWide } from './accountWide.js';
import { segmentResourceId } from '../segments/model.js';
import { segmentInEnvironment } from './segmentRequests.js';
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

type Listed = KeyedRequest & { resourceId: string };

function matches(clause: FilterClause, row: Listed): boolean {
  const values = clause.values;
  switch (clause.field) {
    case 'notifyMemberIds':
      return approvalDoc(row).notifyMemberIds.some((id) => values.includes(id));
    case 'requestorId':
      return values.includes(row.requestor_id);
    case 'resourceId':
      return values.includes(row.resourceId);
    case 'resourceKind':
      return values.includes(row.kind);
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
    const rows: Listed[] = (await keyedRequests(db))
      .map((row) => {
        const place = { projectKey: row.projectKey, environmentKey: row.environmentKey };
        return { ...row, resourceId: row.kind === 'flag' ? flagResource({ ...place, flagKey: row.resourceKey }) : segmentResourceId({ ...place, segmentKey: row.resourceKey }) };
      })
      .sort((a, b) => Number(b.created_at) - Number(a.created_at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const kept = rows.filter((row) => (!views || views(row.projectKey)) && filterMatches(filter, row, matches));
    const shown = kept.slice(page.offset, page.offset + page.limit);
    const pending = rows.filter((row) => row.status === 'pending');
    // A page often holds several requests of one resource in one environment: each is loaded once.
    const scopes = new Map<string, Promise<(siblings: RequestRow[], row: RequestRow) => Record<string, unknown>>>();
    const representerOf = (row: Listed) => {
      let representer = scopes.get(row.of);
      if (!representer) {
        const place = { projectKey: row.projectKey, environmentKey: row.environmentKey };
        representer =
          row.kind === 'flag'
            ? flagInEnvironment(deps, db, { ...place, featureFlagKey: row.resourceKey }).then((scope) => (siblings, r) => representAccountWide(scope, r, siblings, query))
            : segmentInEnvironment(deps, db, { ...place, segmentKey: row.resourceKey }).then((scope) => (siblings, r) => representSegmentAccountWide(scope, r, siblings, query));
        scopes.set(row.of, representer);
      }
      return representer;
    };
    const items = await Promise.all(
      shown.map(async (row) => {
        const represent = await representerOf(row);
        const siblings = pending.filter((other) => other.of === row.of && other.environment_id === row.environment_id);
        const { kind: _kind, of: _of, projectKey: _p, resourceKey: _k, environmentKey: _e, resourceId: _r, ...stored } = row;
        return represent(siblings, stored);
      }),
    );
    const params = { filter: typeof query.filter === 'string' ? query.filter : undefined, expand: typeof query.expand === 'string' ? query.expand : undefined };
    return { items, totalCount: kept.length, _links: pageLinks(APPROVALS_URL, page, kept.length, params) };
  });
}
