// GET /api/v2/engineering-insights/charts/flags/status (beta) — how many of the project's live flags are new, active,
// inactive and launched in the environment now (LaunchDarkly's flag statuses, as getFeatureFlagStatuses computes
// them), of the flags the applications named evaluated when applicationKey is given: one series per status, one point.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { representChart } from './charts.js';
import { flagHealthIn } from './indicators.js';
import { readKeys, readRequired, type Query } from './query.js';

const STATUSES = ['new', 'active', 'inactive', 'launched'] as const;

export function getFlagStatusChart(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/engineering-insights/charts/flags/status', { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    const projectKey = readRequired(query, 'projectKey');
    const environmentKey = readRequired(query, 'environmentKey');
    const applications = readKeys(query, 'applicationKey');
    const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    const now = deps.now();
    const flags = await flagHealthIn(deps.store.db, project.id, environment, now, applications);
    const counts = Object.fromEntries(STATUSES.map((status) => [status, flags.filter((f) => f.status === status).length]));
    return representChart(
      'flagStatus',
      { x: 'timestamp', y: 'count' },
      { totalFlags: flags.length, ...counts },
      STATUSES.map((status) => ({ name: status, count: counts[status], data: [{ x: now, y: counts[status] }] })),
    );
  });
}
