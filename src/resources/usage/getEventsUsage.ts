// GET /api/v2/usage/events/{type} (beta) — the SDKs' analytics events iterlab received (`received`), or published to
// data export destinations (`published`: iterlab publishes none), hourly when the range starts within the last two
// days, else daily; by default the last 24 hours.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { buckets, granularityByAge, readRange, type Query } from './query.js';
import { buildSeries, countFacts, selfLinks } from './series.js';
import { HOUR_MS, METRIC } from './tally.js';

export function getEventsUsage(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { type: string }; Querystring: Query }>('/api/v2/usage/events/:type', { config: { beta: true } }, async (request) => {
    const type = request.params.type;
    if (type !== 'received' && type !== 'published') throw validationFailed([{ attribute: 'type', reason: `must be received or published, not "${type.slice(0, 40)}"` }]);
    const now = deps.now();
    const range = readRange(request.query, now, (at) => at - 24 * HOUR_MS);
    const periods = buckets(range, granularityByAge(range, now));
    const facts = type === 'received' ? await countFacts(deps.store.db, METRIC.events, periods[0].time, Math.min(periods[periods.length - 1].end, range.to + 1)) : [];
    return {
      _links: selfLinks(request.url),
      ...buildSeries({ facts, labels: () => ({ type }), groupBy: ['type'], always: [{ type }], buckets: periods, window: 'period', reduce: { sum: (f) => f.count } }),
    };
  });
}
