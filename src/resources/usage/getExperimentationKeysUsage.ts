// GET /api/v2/usage/experimentation-keys (beta) — the distinct context keys that were in an experiment (evaluations
// with reason.inExperiment), by environment, project and experiment: a key evaluated for a flag counts toward each
// experiment of that environment whose iterations reference the flag. Hourly, daily or monthly; month to date
// (default) or per period; by default since the start of the month, at most 365 days.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { sinceMonthStart, WINDOWS } from './contexts.js';
import { buckets, oneOf, readGranularity, readRange, someOf, values, type Query } from './query.js';
import { buildSeries, keyFacts, readPlaces, selfLinks, windowStart, type KeyFact } from './series.js';
import { METRIC } from './tally.js';

export function getExperimentationKeysUsage(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/usage/experimentation-keys', { config: { beta: true } }, async (request) => {
    const query = request.query;
    const db = deps.store.db;
    const range = readRange(query, deps.now(), sinceMonthStart, 365);
    const places = await readPlaces(db, query);
    const groupBy = someOf(query, 'groupBy', ['projectId', 'environmentId', 'experimentId']);
    const aggregationType = oneOf(query, 'aggregationType', ['month_to_date', 'incremental'] as const, 'month_to_date');
    const granularity = readGranularity(query, aggregationType === 'month_to_date' ? ['hourly', 'daily', 'monthly'] : ['hourly', 'daily'], aggregationType);
    const window = WINDOWS[aggregationType];
    const periods = buckets(range, granularity);
    const facts = await keyFacts(db, METRIC.experimentationKeys, windowStart(periods[0], window), Math.min(periods[periods.length - 1].end, range.to + 1), places.selected);
    // Each environment's experiments by the flags their iterations reference.
    const refs = facts.length === 0 ? [] : await db.selectFrom('experiment_refs').innerJoin('experiments', 'experiments.id', 'experiment_refs.experiment_id').select(['experiments.id', 'experiments.environment_id', 'experiment_refs.key']).where('experiment_refs.kind', '=', 'flag').execute();
    const experiments = new Map<string, Set<string>>();
    for (const r of refs) {
      const id = JSON.stringify([r.environment_id, r.key]);
      experiments.set(id, (experiments.get(id) ?? new Set()).add(r.id));
    }
    const labelled: (KeyFact & { experimentId: string })[] = facts.flatMap((f) => {
      const ids = experiments.get(JSON.stringify([f.environmentId, f.dims[0]]));
      return ids ? [...ids].map((experimentId) => ({ ...f, experimentId })) : [{ ...f, experimentId: '' }];
    });
    return {
      _links: selfLinks(request.url),
      ...buildSeries({
        facts: labelled,
        labels: (f) => ({ projectId: places.all.get(f.environmentId)?.projectId ?? '', environmentId: f.environmentId, experimentId: f.experimentId }),
        filters: { experimentId: values(query, 'experimentId') },
        groupBy,
        buckets: periods,
        window,
        reduce: { distinct: (f) => `${f.environmentId}:${f.key}` },
      }),
    };
  });
}
