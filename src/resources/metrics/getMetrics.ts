// GET /api/v2/metrics/{projectKey} — list a project's metrics: LaunchDarkly's filter expression, sort, pages of at most 50.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { filterBoolean, filterChoice, parseFilterExpression, parseSort, type FilterClause } from '../../http/filter.js';
import { pageLinks, readExpand, readPage } from '../../http/links.js';
import { findMembers } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import type { MetricDoc, MetricRow } from './model.js';
import { representMetric } from './represent.js';
import { metricUsage, type ExperimentUse } from './usage.js';

const FILTER_FIELDS = {
  query: ['equals'],
  tags: ['contains'],
  eventKind: ['equals'],
  isNumeric: ['equals'],
  unitAggregationType: ['equals'],
  hasConnections: ['equals'],
  metricUsedIn: ['equals'],
  maintainerIds: ['anyOf'],
  maintainerTeamKey: ['equals'],
  eventKeys: ['anyOf'],
  dataSourceKeys: ['anyOf'],
  versionIds: ['anyOf'],
  view: ['equals'],
} as const;

interface Listed {
  row: MetricRow;
  doc: MetricDoc;
  uses: ExperimentUse[];
}

type Predicate = (m: Listed) => boolean;

/** One predicate per clause; a clause whose value makes no sense for its field is a 400 naming the field. */
function predicate(clause: FilterClause): Predicate {
  const values = clause.values;
  switch (clause.field) {
    case 'query': {
      const needles = values.map((v) => v.toLowerCase());
      return (m) => needles.some((n) => m.row.key.toLowerCase().includes(n) || m.doc.name.toLowerCase().includes(n));
    }
    case 'tags':
      return (m) => values.every((tag) => m.doc.tags.includes(tag));
    case 'eventKind': {
      const kind = filterChoice(clause, ['custom', 'pageview', 'click']);
      return (m) => m.doc.kind === kind;
    }
    case 'isNumeric': {
      const numeric = filterBoolean(clause);
      return (m) => (m.doc.isNumeric === true) === numeric;
    }
    case 'unitAggregationType': {
      const type = filterChoice(clause, ['sum', 'average']);
      return (m) => m.doc.unitAggregationType === type;
    }
    case 'hasConnections': {
      const connected = filterBoolean(clause);
      return (m) => m.uses.length > 0 === connected;
    }
    case 'metricUsedIn': {
      // iterlab has no guarded rollouts, so a metric is used in experiments or nowhere.
      const where = filterChoice(clause, ['experiments', 'guarded_rollouts', 'any', 'none']);
      if (where === 'guarded_rollouts') return () => false;
      return where === 'none' ? (m) => m.uses.length === 0 : (m) => m.uses.length > 0;
    }
    case 'maintainerIds':
      return (m) => m.doc.maintainerId !== undefined && values.includes(m.doc.maintainerId);
    case 'maintainerTeamKey':
      // iterlab has no teams: no metric is maintained by one.
      return () => false;
    case 'eventKeys':
      return (m) => m.doc.eventKey !== undefined && values.includes(m.doc.eventKey);
    case 'dataSourceKeys':
      return (m) => values.includes(m.doc.dataSource?.key ?? 'launchdarkly');
    case 'versionIds':
      return (m) => values.includes(m.doc._versionId);
    case 'view':
      // Views link flags, segments and AI Configs (LaunchDarkly's link operations take no other type): no metric is
      // in one, so no metric is in the view asked for.
      return () => false;
    default:
      throw validationFailed([{ attribute: 'filter', reason: `unknown filter field "${clause.field}"` }]);
  }
}

export function getMetrics(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>('/api/v2/metrics/:projectKey', async (request) => {
    const db = deps.store.db;
    const query = request.query;
    const page = readPage(query, 20, 50);
    const clauses = parseFilterExpression(query.filter, FILTER_FIELDS);
    const predicates = clauses.map(predicate);
    const sort = parseSort(query.sort, ['createdAt', 'name'], '-createdAt');
    const expand = readExpand(query);
    const project = await findProject(db, request.params.projectKey);

    const rows = await db.selectFrom('metrics').selectAll().where('project_id', '=', project.id).execute();
    const needsUses = expand.has('experimentCount') || clauses.some((c) => c.field === 'hasConnections' || c.field === 'metricUsedIn');
    const usage = needsUses ? await metricUsage(db, project.id) : () => [];

    const listed: Listed[] = rows
      .map((row) => ({ row, doc: JSON.parse(row.doc) as MetricDoc, uses: usage(row.key) }))
      .filter((m) => predicates.every((p) => p(m)));
    listed.sort((a, b) =>
      sort.field === 'name'
        ? a.doc.name.localeCompare(b.doc.name) || a.row.key.localeCompare(b.row.key)
        : a.row.created_at - b.row.created_at || a.row.id.localeCompare(b.row.id),
    );
    if (sort.descending) listed.reverse();
    const pageItems = listed.slice(page.offset, page.offset + page.limit);
    const members = await findMembers(db, pageItems.flatMap((m) => (m.doc.maintainerId ? [m.doc.maintainerId] : [])));
    const items = pageItems.map((m) => {
      const rep = representMetric(project.key, m.row, m.doc, m.doc.maintainerId ? members.get(m.doc.maintainerId) : undefined);
      if (expand.has('experimentCount')) {
        rep.experimentCount = m.uses.length;
        rep.activeExperimentCount = m.uses.filter((u) => u.running).length;
      }
      return rep;
    });
    return {
      items,
      _links: pageLinks(`/api/v2/metrics/${project.key}`, page, listed.length, {
        filter: query.filter as string | undefined,
        sort: query.sort as string | undefined,
        expand: query.expand as string | undefined,
      }),
      totalCount: listed.length,
    };
  });
}
