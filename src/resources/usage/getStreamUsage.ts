// GET /api/v2/usage/streams/{source} (beta) — the streaming connections of client-side or server-side SDKs: each
// hour's (those open in it) when the range starts within the last two days, else each day's busiest hour (days broken
// in `tz`); by default the last 30 days.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { buckets, granularityByAge, readRange, readTimeZone, type Query } from './query.js';
import { buildSeries, selfLinks } from './series.js';
import { connections, readSource, streamFacts } from './streams.js';
import { DAY_MS } from './tally.js';

export function getStreamUsage(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { source: string }; Querystring: Query }>('/api/v2/usage/streams/:source', { config: { beta: true } }, async (request) => {
    const source = readSource(request.params.source);
    const now = deps.now();
    const range = readRange(request.query, now, (at) => at - 30 * DAY_MS);
    const periods = buckets(range, granularityByAge(range, now), readTimeZone(request.query));
    const facts = await streamFacts(deps, source, periods[0].time, Math.min(periods[periods.length - 1].end, range.to + 1));
    return {
      _links: selfLinks(request.url),
      ...buildSeries({ facts, labels: () => ({ source }), groupBy: ['source'], always: [{ source }], buckets: periods, window: 'period', reduce: connections }),
    };
  });
}
