// The context and MAU figures (getContexts*Usage, getMAU*Usage): the distinct context keys the SDKs' events carried,
// by day, labelled with their environment, kind, anonymity and SDK, filtered and grouped as each operation takes,
// month to date (default), per day (incremental) or over the 30 days to each day. The MAU operations count the
// primary context kind only, which is `user` here.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../http/context.js';
import { buckets, oneOf, readGranularity, readRange, monthStart, someOf, values, type Granularity, type Query } from './query.js';
import { buildSeries, keyFacts, readPlaces, selfLinks, windowStart, type KeyFact, type Labels, type Places, type SeriesSpec } from './series.js';
import { METRIC } from './tally.js';

/** The context kind MAU counts (LaunchDarkly's "primary context kind"): iterlab has no other. */
export const PRIMARY_KIND = 'user';

export type Window = SeriesSpec<KeyFact>['window'];

/** A contexts fact's labels, by the names the newer operations use. */
export function contextLabels(fact: KeyFact, places: Places): Labels {
  const [contextKind, anonymous, sdkName, sdkType, , sdkAppId] = fact.dims;
  return {
    projectId: places.all.get(fact.environmentId)?.projectId ?? '',
    environmentId: fact.environmentId,
    contextKind,
    anonymousV2: anonymous,
    sdkName,
    sdkType,
    sdkAppId,
  };
}

export interface ContextsOperation {
  /** The SDK type counted: client, server, or both. */
  sdkType?: 'client' | 'server';
  /** MAU: the primary kind only; else every kind, always grouped by it. */
  mau: boolean;
}

const AGGREGATIONS = ['month_to_date', 'incremental', 'rolling_30d'] as const;
export const WINDOWS: Record<(typeof AGGREGATIONS)[number], Window> = { month_to_date: 'monthToDate', incremental: 'period', rolling_30d: 'rolling30d' };

/** The newer range's default: the start of the current month; at most 365 days. */
export const sinceMonthStart = (now: number) => monthStart(now);

export function registerContextsUsage(app: FastifyInstance, deps: Deps, path: string, op: ContextsOperation): void {
  app.get<{ Querystring: Query }>(path, { config: { beta: true } }, async (request: FastifyRequest<{ Querystring: Query }>) => {
    const query = request.query;
    const range = readRange(query, deps.now(), sinceMonthStart, 365);
    const places = await readPlaces(deps.store.db, query);
    const groupable = ['projectId', 'environmentId', 'sdkName', ...(op.sdkType === undefined ? ['sdkType'] : []), 'sdkAppId', 'anonymousV2'];
    const groupBy = someOf(query, 'groupBy', groupable);
    const anonymous = someOf(query, 'anonymous', ['true', 'false']);
    const sdkTypes = op.sdkType === undefined ? values(query, 'sdkType') : [];
    const aggregationType = oneOf(query, 'aggregationType', AGGREGATIONS, 'month_to_date');
    const granularity = readGranularity(query, aggregationType === 'month_to_date' ? ['daily', 'monthly'] : ['daily'], aggregationType);
    const contextKinds = op.mau ? [] : values(query, 'contextKind');
    return {
      _links: selfLinks(request.url),
      ...(await contextSeries(deps, places, range, granularity, WINDOWS[aggregationType], {
        labels: (fact) => {
          const labels = contextLabels(fact, places);
          if (op.mau && labels.contextKind !== PRIMARY_KIND) return undefined;
          if (op.sdkType !== undefined && labels.sdkType !== op.sdkType) return undefined;
          return labels;
        },
        filters: { contextKind: contextKinds, sdkName: values(query, 'sdkName'), sdkType: sdkTypes, anonymousV2: anonymous },
        groupBy: op.mau ? groupBy : ['contextKind', ...groupBy],
      })),
    };
  });
}

/** The distinct context keys of the range's periods, over each one's window. */
export async function contextSeries(
  deps: Deps,
  places: Places,
  range: { from: number; to: number },
  granularity: Granularity,
  window: Window,
  spec: Pick<SeriesSpec<KeyFact>, 'labels' | 'filters' | 'groupBy' | 'always'>,
) {
  const periods = buckets(range, granularity);
  const facts = await keyFacts(deps.store.db, METRIC.contexts, windowStart(periods[0], window), Math.min(periods[periods.length - 1].end, range.to + 1), places.selected);
  return buildSeries({ ...spec, facts, buckets: periods, window, reduce: { distinct: (fact) => `${fact.environmentId}:${fact.key}` } });
}
