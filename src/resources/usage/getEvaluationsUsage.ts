// GET /api/v2/usage/evaluations/{projectKey}/{environmentKey}/{featureFlagKey} (beta) — how often the SDKs evaluated
// the flag in the environment, one series per variation (from the summary events, which count every evaluation),
// hourly when the range starts within the last two days, else daily (days broken in `tz`); by default the last 30 days.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findFlag } from '../flags/model.js';
import { buckets, granularityByAge, readRange, readTimeZone, type Query } from './query.js';
import { buildSeries, countFacts, selfLinks } from './series.js';
import { DAY_MS, METRIC } from './tally.js';

export function getEvaluationsUsage(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string; featureFlagKey: string }; Querystring: Query }>(
    '/api/v2/usage/evaluations/:projectKey/:environmentKey/:featureFlagKey',
    { config: { beta: true } },
    async (request) => {
      const { projectKey, environmentKey, featureFlagKey } = request.params;
      const now = deps.now();
      const range = readRange(request.query, now, (at) => at - 30 * DAY_MS);
      const tz = readTimeZone(request.query);
      const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
      const flag = await findFlag(deps.store.db, project, featureFlagKey);
      const periods = buckets(range, granularityByAge(range, now), tz);
      const facts = await countFacts(deps.store.db, METRIC.evaluations, periods[0].time, Math.min(periods[periods.length - 1].end, range.to + 1), new Set([environment.id]));
      const variations = flag.doc.variations.map((_, i) => String(i));
      const built = buildSeries({
        facts: facts.filter((f) => f.dims[0] === featureFlagKey),
        labels: (f) => (variations.includes(f.dims[1]) ? { variation: f.dims[1] } : undefined),
        groupBy: ['variation'],
        always: variations.map((variation) => ({ variation })),
        buckets: periods,
        window: 'period',
        reduce: { sum: (f) => f.count },
      });
      return {
        _links: selfLinks(request.url),
        metadata: built.metadata.map(({ variation }) => {
          const v = flag.doc.variations[Number(variation)];
          return { variation: Number(variation), value: v.value, ...(v.name !== undefined ? { name: v.name } : {}) };
        }),
        series: built.series,
      };
    },
  );
}
