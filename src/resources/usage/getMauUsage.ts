// GET /api/v2/usage/mau (beta) — monthly active users, LaunchDarkly's older form: the distinct context keys of the
// kinds `contextKind` names (user when none), per day over the 30 days to it (default), month to date, or the day
// alone; filtered by project, environment, SDK type and name, anonymity; grouped by `groupby`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { contextLabels, contextSeries, PRIMARY_KIND, type Window } from './contexts.js';
import { oneOf, readRange, someOf, values, type Query } from './query.js';
import { readPlaces, selfLinks } from './series.js';
import { DAY_MS } from './tally.js';

const GROUPS = ['project', 'environment', 'sdktype', 'sdk', 'anonymous', 'contextKind', 'sdkAppId'] as const;
const WINDOW: Record<string, Window> = { rolling_30d: 'rolling30d', month_to_date: 'monthToDate', daily_incremental: 'period' };

export function getMauUsage(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/usage/mau', { config: { beta: true } }, async (request) => {
    const query = request.query;
    const range = readRange(query, deps.now(), (now) => now - 30 * DAY_MS);
    const places = await readPlaces(deps.store.db, query, { project: 'project', environment: 'environment' });
    const groupBy = someOf(query, 'groupby', GROUPS);
    const sdkTypes = someOf(query, 'sdktype', ['client', 'server']);
    const anonymous = someOf(query, 'anonymous', ['true', 'false']);
    const aggregationType = oneOf(query, 'aggregationType', ['rolling_30d', 'month_to_date', 'daily_incremental'], 'rolling_30d');
    const kinds = values(query, 'contextKind');
    return {
      _links: selfLinks(request.url),
      ...(await contextSeries(deps, places, range, 'daily', WINDOW[aggregationType], {
        labels: (fact) => {
          const l = contextLabels(fact, places);
          const place = places.all.get(fact.environmentId);
          return { project: place?.projectKey ?? '', environment: place?.environmentKey ?? '', sdktype: l.sdkType, sdk: l.sdkName, anonymous: l.anonymousV2, contextKind: l.contextKind, sdkAppId: l.sdkAppId };
        },
        filters: { contextKind: kinds.length > 0 ? kinds : [PRIMARY_KIND], sdktype: sdkTypes, sdk: values(query, 'sdk'), anonymous },
        groupBy,
      })),
    };
  });
}
