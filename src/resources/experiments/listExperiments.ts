// The query behind both experiment lists (one environment, or any environment of a project).
import { sql } from 'kysely';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseFilter } from '../../http/filter.js';
import { pageLinks, readExpand, readPage } from '../../http/links.js';
import { GROUP_METRIC_REF, loadIterations, type ExperimentRow } from './model.js';
import { representExperiment } from './represent.js';

const STATUSES = ['not_started', 'running', 'stopped'];
const LIFECYCLE = ['active', 'archived'];

export interface ListScope {
  projectId: string;
  projectKey: string;
  /** Restrict to one environment; undefined lists every environment of the project. */
  environmentId?: string;
  path: string;
}

export async function listExperiments(deps: Deps, scope: ListScope, query: Record<string, unknown>): Promise<Record<string, unknown>> {
  const page = readPage(query, 20);
  const filter = parseFilter(query.filter, ['flagKey', 'metricKey', 'status']);
  const expand = readExpand(query);
  const status = filter.get('status');
  if (status !== undefined && !STATUSES.includes(status)) {
    throw validationFailed([{ attribute: 'filter', reason: `status must be one of ${STATUSES.join(', ')}, got "${status}"` }]);
  }
  const named = String(query.lifecycleState ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Left out or empty (`lifecycleState=`, as a client sends an unset string), the default: active experiments only.
  const lifecycle = named.length > 0 ? named : ['active'];
  const unknownState = lifecycle.find((state) => !LIFECYCLE.includes(state));
  if (unknownState !== undefined) {
    throw validationFailed([{ attribute: 'lifecycleState', reason: `must be active, archived or both (comma-separated), got "${unknownState}"` }]);
  }

  const db = deps.store.db;
  let base = db
    .selectFrom('experiments as e')
    .innerJoin('environments as env', 'env.id', 'e.environment_id')
    .where('e.project_id', '=', scope.projectId);
  if (scope.environmentId !== undefined) base = base.where('e.environment_id', '=', scope.environmentId);
  if (lifecycle.includes('active') && !lifecycle.includes('archived')) base = base.where('e.archived_date', 'is', null);
  if (lifecycle.includes('archived') && !lifecycle.includes('active')) base = base.where('e.archived_date', 'is not', null);
  // LaunchDarkly: "experiments with an iteration with the given status" (any of the experiment's iterations: the
  // draft, the current one or an earlier one).
  if (status !== undefined) {
    base = base.where(({ exists, selectFrom }) =>
      // A literal (one of STATUSES), for the reason DRAFT_STATUS is one (model.ts).
      exists(selectFrom('iterations as i').select('i.id').whereRef('i.experiment_id', '=', 'e.id').where('i.status', '=', sql.lit(status))),
    );
  }
  const flagKey = filter.get('flagKey');
  if (flagKey !== undefined) {
    base = base.where(({ exists, selectFrom }) =>
      exists(selectFrom('experiment_refs as r').select('r.key').whereRef('r.experiment_id', '=', 'e.id').where('r.kind', '=', 'flag').where('r.key', '=', flagKey)),
    );
  }
  const metricKey = filter.get('metricKey');
  if (metricKey !== undefined) {
    base = base.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('experiment_refs as r')
          .select('r.key')
          .whereRef('r.experiment_id', '=', 'e.id')
          // The metric itself, a metric group of that key, or a metric measured through a group the iteration lists.
          .where('r.kind', 'in', ['metric', 'metric-group', GROUP_METRIC_REF])
          .where('r.key', '=', metricKey),
      ),
    );
  }
  const count = async () => Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  // A new draft changes which experiments have a not_started iteration: that count is not kept (see experimentCount).
  const countScope = flagKey === undefined && metricKey === undefined && status !== 'not_started' ? [scope.projectId, scope.environmentId ?? '*', [...lifecycle].sort().join(','), status ?? ''].join('\u0000') : undefined;
  const [total, rows] = await Promise.all([
    countScope === undefined ? count() : deps.catalog.experimentCount(countScope, count),
    base
      .selectAll('e')
      .select('env.key as environment_key')
      .orderBy('e.created_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
  ]);
  const iterations = await loadIterations(
    db,
    rows.map((row) => row.id),
    expand.has('previousIterations'),
  );
  const items = rows.map((row) => representExperiment(scope.projectKey, row.environment_key, row as ExperimentRow, iterations.get(row.id)!, expand));
  return {
    items,
    total_count: total,
    _links: pageLinks(scope.path, page, total, {
      filter: query.filter as string | undefined,
      expand: query.expand as string | undefined,
      lifecycleState: named.length > 0 ? (query.lifecycleState as string) : undefined,
    }),
  };
}
