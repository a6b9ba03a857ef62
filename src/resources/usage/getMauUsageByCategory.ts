// GET /api/v2/usage/mau/bycategory (beta) — monthly active users by the category of SDK that sent them: browser
// (client-side ID), mobile (mobile key) and backend (SDK key), each day over the 30 days to it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { contextSeries, PRIMARY_KIND } from './contexts.js';
import { readRange, type Query } from './query.js';
import { readPlaces, selfLinks } from './series.js';
import { DAY_MS } from './tally.js';

const CATEGORIES = ['browser', 'mobile', 'backend'];

export function getMauUsageByCategory(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/usage/mau/bycategory', { config: { beta: true } }, async (request) => {
    const range = readRange(request.query, deps.now(), (now) => now - 30 * DAY_MS);
    const places = await readPlaces(deps.store.db, {});
    return {
      _links: selfLinks(request.url),
      ...(await contextSeries(deps, places, range, 'daily', 'rolling30d', {
        labels: (fact) => (fact.dims[0] === PRIMARY_KIND ? { category: fact.dims[4] } : undefined),
        groupBy: ['category'],
        always: CATEGORIES.map((category) => ({ category })),
      })),
    };
  });
}
