// GET /api/v2/engineering-insights/charts/releases/frequency (beta) — releases (flag events) in each bucket of the
// window in the project's environment, filtered as getFlagEvents filters (applications, hasExperiments, global), one
// series or one per impact size (`groupBy=impact`); `expand=metrics` grades release frequency.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readKnownExpand } from '../../http/links.js';
import { countSeries, daysOf, readBuckets, representChart } from './charts.js';
import { IMPACT_SIZES, measuredEvents } from './flagEvents.js';
import { chartMetric } from './indicators.js';
import { readBoolean, readKeys, readOption, readRequired, readWindow, type Query } from './query.js';

export function getReleaseFrequencyChart(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/engineering-insights/charts/releases/frequency', { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    const projectKey = readRequired(query, 'projectKey');
    const environmentKey = readRequired(query, 'environmentKey');
    const filter = { applicationKeys: readKeys(query, 'applicationKey'), hasExperiments: readBoolean(query, 'hasExperiments'), global: readOption(query, 'global', ['include', 'exclude'] as const, 'include') };
    const groupBy = readOption(query, 'groupBy', ['impact'] as const);
    const now = deps.now();
    const window = readWindow(query, now);
    const buckets = readBuckets(query, window);
    const expand = readKnownExpand(query, ['metrics'] as const);
    const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    const events = await measuredEvents(deps.store.db, project.key, environment, { from: buckets[0].start, to: buckets[buckets.length - 1].end - 1 }, filter, now);
    // A release whose impact is not measured (global, or less than ten minutes old) is "unknown".
    const series = groupBy
      ? countSeries(events, buckets, (m) => m.event.eventTime, (m) => m.impact.size ?? 'unknown', [...IMPACT_SIZES, 'unknown'])
      : countSeries(events, buckets, (m) => m.event.eventTime, () => 'releases', ['releases']);
    const perDay = events.length / daysOf(window);
    return representChart(
      'releaseFrequency',
      { x: 'timestamp', y: 'count' },
      { totalReleases: events.length, releasesPerDay: Math.round(perDay * 100) / 100, withExperiments: events.filter((m) => m.experiments.length > 0).length },
      series,
      expand.has('metrics') ? { releaseFrequency: chartMetric('releaseFrequency', perDay) } : undefined,
    );
  });
}
