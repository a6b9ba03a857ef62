// The usage iterlab has nothing of (observability errors, logs, metrics, sessions and traces; Vega AI): every figure
// 0, in LaunchDarkly's shape, with its checks (the range, projectKey, aggregationType and granularity). A range is in
// Unix seconds (or milliseconds: see query.ts), by default since the start of the month.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { sinceMonthStart } from './contexts.js';
import { buckets, oneOf, readGranularity, readRange, type Granularity, type Query } from './query.js';
import { buildSeries, readPlaces, selfLinks } from './series.js';

export interface ZeroOperation {
  /** Each aggregation type it takes (the first is the default) and the granularities that type takes. */
  aggregations: Record<string, readonly Granularity[]>;
}

const STANDARD: ZeroOperation = { aggregations: { month_to_date: ['daily', 'monthly'], incremental: ['daily'], rolling_30d: ['daily'] } };

export function registerZeroUsage(app: FastifyInstance, deps: Deps, path: string, op: ZeroOperation = STANDARD): void {
  app.get<{ Querystring: Query }>(path, { config: { beta: true } }, async (request) => {
    const query = request.query;
    const range = readRange(query, deps.now(), sinceMonthStart, 365);
    await readPlaces(deps.store.db, query, { project: 'projectKey' });
    const types = Object.keys(op.aggregations);
    const aggregationType = oneOf(query, 'aggregationType', types, types[0]);
    const granularity = readGranularity(query, op.aggregations[aggregationType], aggregationType);
    return { _links: selfLinks(request.url), ...buildSeries({ facts: [], labels: () => ({}), groupBy: [], buckets: buckets(range, granularity), window: 'period', reduce: { sum: () => 0 } }) };
  });
}
