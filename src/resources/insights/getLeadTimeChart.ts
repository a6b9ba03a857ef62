// GET /api/v2/engineering-insights/charts/lead-time (beta) — the lead time of the deployments that finished in each
// bucket (started in it), from their pull requests: by stage (coding, review, wait, deploy: the default) or by
// application, each point the average in milliseconds; `expand=percentiles` adds the total's p50/p90/p95 to each
// point, `expand=metrics` grades the average lead time.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readKnownExpand } from '../../http/links.js';
import { readBuckets, representChart, type Series } from './charts.js';
import { deploymentDoc, deploymentStages, leadTimeOf, type DeploymentRow } from './deployments.js';
import { averageLeadTimeHours, chartMetric } from './indicators.js';
import { readKeys, readOption, readRequired, readText, readWindow, type Query } from './query.js';

const STAGES = [
  ['coding', 'codingDurationMs'],
  ['review', 'reviewDurationMs'],
  ['wait', 'waitDurationMs'],
  ['deploy', 'deployDurationMs'],
] as const;

const average = (values: number[]) => (values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length));

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function getLeadTimeChart(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/engineering-insights/charts/lead-time', { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    const projectKey = readRequired(query, 'projectKey');
    const environmentKey = readText(query, 'environmentKey');
    const applications = readKeys(query, 'applicationKey');
    const window = readWindow(query, deps.now());
    const buckets = readBuckets(query, window);
    const groupBy = readOption(query, 'groupBy', ['application', 'stage'] as const, 'stage');
    const expand = readKnownExpand(query, ['metrics', 'percentiles'] as const);
    const project = await deps.catalog.project(projectKey);
    let select = deps.store.db.selectFrom('insight_deployments').selectAll().where('project_id', '=', project.id).where('status', '=', 'finished').where('started_at', '>=', buckets[0].start).where('started_at', '<', buckets[buckets.length - 1].end);
    if (environmentKey) select = select.where('environment_id', '=', (await deps.catalog.projectEnvironment(projectKey, environmentKey)).environment.id);
    if (applications) select = select.where('application_key', 'in', applications);
    const rows = (await select.execute()).filter((row) => deploymentDoc(row).pullRequests.length > 0);
    const inBucket = (b: { start: number; end: number }) => rows.filter((row) => Number(row.started_at) >= b.start && Number(row.started_at) < b.end);
    const values = (members: DeploymentRow[]) => {
      if (!expand.has('percentiles')) return {};
      const totals = members.map((row) => leadTimeOf(row, deploymentDoc(row)) ?? 0).sort((a, b) => a - b);
      return { values: { p50: percentile(totals, 50), p90: percentile(totals, 90), p95: percentile(totals, 95) } };
    };
    let series: Series[];
    if (groupBy === 'stage') {
      series = STAGES.map(([name, field]) => ({
        name,
        count: rows.length,
        data: buckets.map((b) => {
          const members = inBucket(b);
          return { x: b.start, y: average(members.flatMap((row) => deploymentStages(row, deploymentDoc(row))?.[field] ?? [])), ...values(members) };
        }),
      }));
    } else {
      const apps = [...new Set(rows.map((row) => row.application_key))].sort();
      series = apps.map((name) => ({
        name,
        count: rows.filter((row) => row.application_key === name).length,
        data: buckets.map((b) => {
          const members = inBucket(b).filter((row) => row.application_key === name);
          return { x: b.start, y: average(members.map((row) => leadTimeOf(row, deploymentDoc(row)) ?? 0)), ...values(members) };
        }),
      }));
    }
    const hours = averageLeadTimeHours(rows);
    return representChart(
      'leadTime',
      { x: 'timestamp', y: 'milliseconds' },
      { deployments: rows.length, averageLeadTimeMs: Math.round((hours ?? 0) * 3_600_000) },
      series,
      expand.has('metrics') ? { leadTime: chartMetric('leadTime', hours) } : undefined,
    );
  });
}
