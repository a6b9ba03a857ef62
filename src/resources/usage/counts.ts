// The newer counted figures (service connections, experimentation events, data export events, AI runs, warehouse export): a metric's hourly
// counters in the range (by default since the start of the month, at most 365 days), labelled, filtered by the
// repeatable parameters each operation takes, grouped by `groupBy`, hourly, daily or monthly, month to date (default)
// or per period (incremental).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { sinceMonthStart, WINDOWS } from './contexts.js';
import { buckets, oneOf, readGranularity, readRange, someOf, values, type Query } from './query.js';
import { buildSeries, countFacts, readPlaces, selfLinks, windowStart, type CountFact, type Labels, type Places } from './series.js';

export interface CountOperation {
  /** The metric counted; none for what iterlab does not have (every figure 0). */
  metric?: string;
  labels: (fact: CountFact, places: Places) => Labels | undefined;
  /** The `groupBy` values it takes, each a label. */
  groupable: readonly string[];
  /** Its filters: each parameter's name and the label it narrows. */
  filters: Record<string, string>;
  /** The values a filter takes, where the operation lists them (any other is a 400 naming the parameter). */
  filterValues?: Record<string, readonly string[]>;
  value: (fact: CountFact) => number;
}

export function registerCountUsage(app: FastifyInstance, deps: Deps, path: string, op: CountOperation): void {
  app.get<{ Querystring: Query }>(path, { config: { beta: true } }, async (request) => {
    const query = request.query;
    const range = readRange(query, deps.now(), sinceMonthStart, 365);
    const places = await readPlaces(deps.store.db, query);
    const groupBy = someOf(query, 'groupBy', op.groupable);
    for (const [parameter, allowed] of Object.entries(op.filterValues ?? {})) someOf(query, parameter, allowed);
    const aggregationType = oneOf(query, 'aggregationType', ['month_to_date', 'incremental'] as const, 'month_to_date');
    const granularity = readGranularity(query, aggregationType === 'month_to_date' ? ['hourly', 'daily', 'monthly'] : ['hourly', 'daily'], aggregationType);
    const window = WINDOWS[aggregationType];
    const periods = buckets(range, granularity);
    const facts = op.metric ? await countFacts(deps.store.db, op.metric, windowStart(periods[0], window), Math.min(periods[periods.length - 1].end, range.to + 1), places.selected) : [];
    return {
      _links: selfLinks(request.url),
      ...buildSeries({
        facts,
        labels: (fact) => op.labels(fact, places),
        filters: Object.fromEntries(Object.entries(op.filters).map(([parameter, label]) => [label, values(query, parameter)])),
        groupBy,
        buckets: periods,
        window,
        reduce: { sum: op.value },
      }),
    };
  });
}
