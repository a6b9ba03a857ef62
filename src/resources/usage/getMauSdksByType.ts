// GET /api/v2/usage/mau/sdks (beta) — the SDKs (their user agents' names) that sent contexts in the range (by
// default the last seven days), of one type (`sdktype`: client or server) or both.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { compareText } from '../../store/reads.js';
import { oneOf, readRange, type Query } from './query.js';
import { keyFacts, selfLinks } from './series.js';
import { dayOf, DAY_MS, METRIC } from './tally.js';

export function getMauSdksByType(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/usage/mau/sdks', { config: { beta: true } }, async (request) => {
    const range = readRange(request.query, deps.now(), (now) => now - 7 * DAY_MS);
    const sdkType = oneOf(request.query, 'sdktype', ['client', 'server']);
    const facts = await keyFacts(deps.store.db, METRIC.contexts, dayOf(range.from), range.to + 1);
    const sdks = new Set(facts.filter((f) => sdkType === undefined || f.dims[3] === sdkType).map((f) => f.dims[2]));
    return { _links: selfLinks(request.url), sdks: [...sdks].sort(compareText) };
  });
}
