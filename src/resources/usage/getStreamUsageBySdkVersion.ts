// GET /api/v2/usage/streams/{source}/bysdkversion (beta) — the streaming connections of client-side or server-side
// SDKs, one series per SDK name and version (metadata: sdk, version, source), narrowed by `sdk` and `version`;
// hourly when the range starts within the last two days, else daily; by default the last 24 hours.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { buckets, granularityByAge, readRange, readTimeZone, single, type Query } from './query.js';
import { buildSeries, selfLinks } from './series.js';
import { connections, readSource, streamFacts } from './streams.js';
import { HOUR_MS } from './tally.js';

export function getStreamUsageBySdkVersion(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { source: string }; Querystring: Query }>('/api/v2/usage/streams/:source/bysdkversion', { config: { beta: true } }, async (request) => {
    const source = readSource(request.params.source);
    const now = deps.now();
    const range = readRange(request.query, now, (at) => at - 24 * HOUR_MS);
    const periods = buckets(range, granularityByAge(range, now), readTimeZone(request.query));
    const sdk = single(request.query, 'sdk');
    const version = single(request.query, 'version');
    const facts = await streamFacts(deps, source, periods[0].time, Math.min(periods[periods.length - 1].end, range.to + 1));
    return {
      _links: selfLinks(request.url),
      ...buildSeries({
        facts,
        labels: (f) => ({ sdk: f.dims[1], version: f.dims[2], source }),
        filters: { sdk: sdk !== undefined ? [sdk] : [], version: version !== undefined ? [version] : [] },
        groupBy: ['sdk', 'version', 'source'],
        buckets: periods,
        window: 'period',
        reduce: connections,
      }),
    };
  });
}
