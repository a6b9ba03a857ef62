// GET /api/v2/projects/{projectKey}/metric-groups (beta) — list groups: filter expression, sort, pages of at most 50.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { filterBoolean, filterChoice, compareFields, parseFilterExpression, parseSortList, type FilterClause } from '../../http/filter.js';
import { link, pageLinks, readPage } from '../../http/links.js';
import { findMembers } from '../members/members.js';
import { findMetrics, listMetricGroups, type MetricGroupDoc, type MetricGroupRow } from '../metrics/model.js';
import { usesByKey, type ExperimentUse } from '../metrics/usage.js';
import { findProject } from '../projects/projects.js';
import { representMetricGroup } from './groups.js';

const FILTER_FIELDS = {
  query: ['equals'],
  kind: ['equals'],
  experimentStatus: ['equals'],
  hasConnections: ['equals'],
  maintainerIds: ['anyOf'],
  maintainerTeamKey: ['equals'],
} as const;

interface Listed {
  row: MetricGroupRow;
  doc: MetricGroupDoc;
  uses: ExperimentUse[];
}

function predicate(clause: FilterClause): (g: Listed) => boolean {
  const values = clause.values;
  switch (clause.field) {
    case 'query': {
      const needles = values.map((v) => v.toLowerCase());
      return (g) => needles.some((n) => g.row.key.toLowerCase().includes(n) || g.doc.name.toLowerCase().includes(n));
    }
    case 'kind': {
      const kind = filterChoice(clause, ['funnel', 'standard']);
      return (g) => g.doc.kind === kind;
    }
    case 'experimentStatus': {
      // `started` covers every experiment that has been started: running now, or stopped since.
      const status = filterChoice(clause, ['not_started', 'running', 'stopped', 'started']);
      const wanted = status === 'started' ? ['running', 'stopped'] : [status];
      return (g) => g.uses.some((u) => wanted.includes(u.status));
    }
    case 'hasConnections': {
      const connected = filterBoolean(clause);
      return (g) => g.uses.length > 0 === connected;
    }
    case 'maintainerIds':
      return (g) => values.includes(g.doc.maintainerId);
    case 'maintainerTeamKey':
      // iterlab has no teams: no group is maintained by one.
      return () => false;
    default:
      throw validationFailed([{ attribute: 'filter', reason: `unknown filter field "${clause.field}"` }]);
  }
}

export function getMetricGroups(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(
    '/api/v2/projects/:projectKey/metric-groups',
    { config: { beta: true } },
    async (request) => {
      const db = deps.store.db;
      const query = request.query;
      const page = readPage(query, 20, 50);
      const predicates = parseFilterExpression(query.filter, FILTER_FIELDS).map(predicate);
      const sort = parseSortList(query.sort, ['name', 'createdAt', 'connectionCount'], '-createdAt');
      const project = await findProject(db, request.params.projectKey);

      const uses = await usesByKey(db, project.id, 'metric-group');
      const listed: Listed[] = (await listMetricGroups(db, project.id))
        .map((g) => ({ ...g, uses: uses.get(g.row.key) ?? [] }))
        .filter((g) => predicates.every((p) => p(g)));
      const byCreation = (a: Listed, b: Listed) => a.row.created_at - b.row.created_at || a.row.key.localeCompare(b.row.key);
      const compare = (a: Listed, b: Listed, field: (typeof sort)[number]['field']): number => {
        if (field === 'name') return a.doc.name.localeCompare(b.doc.name);
        if (field === 'connectionCount') return a.uses.length - b.uses.length;
        return a.row.created_at - b.row.created_at;
      };
      listed.sort(compareFields(sort, compare, byCreation));

      const pageItems = listed.slice(page.offset, page.offset + page.limit);
      const metrics = await findMetrics(db, project.id, [...new Set(pageItems.flatMap((g) => g.doc.metrics.map((m) => m.key)))]);
      const metricDocs = new Map([...metrics].map(([key, m]) => [key, m.doc]));
      const members = await findMembers(db, pageItems.map((g) => g.doc.maintainerId));
      const path = `/api/v2/projects/${project.key}/metric-groups`;
      return {
        items: pageItems.map((g) => representMetricGroup(project.key, g.row, g.doc, members.get(g.doc.maintainerId), metricDocs)),
        _links: {
          parent: link(`/api/v2/projects/${project.key}`),
          ...pageLinks(path, page, listed.length, { filter: query.filter as string | undefined, sort: query.sort as string | undefined }),
        },
        totalCount: listed.length,
      };
    },
  );
}
