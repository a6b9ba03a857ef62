// GET /api/v2/engineering-insights/charts/deployments/frequency (beta) — deployments started in each bucket of the
// window, of the project and environment (and applications) asked, one series or one per application or kind
// (`groupBy`); the summary counts them and their rate per day; `expand=metrics` grades deployment frequency.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readKnownExpand } from '../../http/links.js';
import { countSeries, daysOf, readBuckets, representChart } from './charts.js';
import { DEPLOYMENT_KINDS, deploymentDoc, type DeploymentRow } from './deployments.js';
import { chartMetric, deploymentFrequency } from './indicators.js';
import { readKeys, readOption, readText, readWindow, type Query } from './query.js';

export function getDeploymentFrequencyChart(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/engineering-insights/charts/deployments/frequency', { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    const projectKey = readText(query, 'projectKey');
    const environmentKey = readText(query, 'environmentKey');
    const applications = readKeys(query, 'applicationKey');
    const window = readWindow(query, deps.now());
    const buckets = readBuckets(query, window);
    const groupBy = readOption(query, 'groupBy', ['application', 'kind'] as const);
    const expand = readKnownExpand(query, ['metrics'] as const);
    let select = deps.store.db.selectFrom('insight_deployments').selectAll().where('started_at', '>=', buckets[0].start).where('started_at', '<', buckets[buckets.length - 1].end);
    if (projectKey) {
      const project = await deps.catalog.project(projectKey);
      select = select.where('project_id', '=', project.id);
      if (environmentKey) select = select.where('environment_id', '=', (await deps.catalog.projectEnvironment(projectKey, environmentKey)).environment.id);
    } else if (environmentKey) {
      select = select.where('environment_id', 'in', deps.store.db.selectFrom('environments').select('id').where('key', '=', environmentKey));
    }
    if (applications) select = select.where('application_key', 'in', applications);
    const rows = await select.execute();
    const group = (row: DeploymentRow) => (groupBy === 'application' ? row.application_key : groupBy === 'kind' ? deploymentDoc(row).kind : 'deployments');
    const series = countSeries(rows, buckets, (row) => Number(row.started_at), group, groupBy === 'kind' ? DEPLOYMENT_KINDS : groupBy ? undefined : ['deployments']);
    const perDay = deploymentFrequency(rows, daysOf(window));
    return representChart(
      'deploymentFrequency',
      { x: 'timestamp', y: 'count' },
      { totalDeployments: rows.length, deploymentsPerDay: Math.round(perDay * 100) / 100 },
      series,
      expand.has('metrics') ? { deploymentFrequency: chartMetric('deploymentFrequency', perDay) } : undefined,
    );
  });
}
