// Usage figures as LaunchDarkly's series (SeriesListRep): the stored counters and keys of a metric in a range, each
// labelled (projectId, environmentId and the metric's own dimensions), filtered, grouped into series by `groupBy`, and
// aggregated over each period's window: summed (counts, minutes), the busiest hour's sum (connections over a day),
// or the distinct keys (contexts). `series[i]` holds `time` and each series' value under its index; `metadata[i]`
// names the labels of series i.
import { validationFailed } from '../../http/errors.js';
import type { Db } from '../../store/db.js';
import { values, type Query } from './query.js';
import type { Bucket } from './query.js';
import { DAY_MS, HOUR_MS } from './tally.js';

export interface Place {
  projectId: string;
  projectKey: string;
  projectName: string;
  environmentId: string;
  environmentKey: string;
  environmentName: string;
}

export interface Places {
  /** Every environment of the account, by id. */
  all: Map<string, Place>;
  /** The environments the filters select; undefined when they select all. */
  selected: Set<string> | undefined;
  /** The projects the filters select (for operations with nothing per environment). */
  projects: Set<string> | undefined;
}

/**
 * The environments `projectKey` (repeatable) and `environmentKey` (repeatable, with exactly one project) select; an
 * unknown key is a 400 naming the parameter.
 */
export async function readPlaces(db: Db, query: Query, names: { project: string; environment?: string } = { project: 'projectKey', environment: 'environmentKey' }): Promise<Places> {
  const rows = await db
    .selectFrom('environments')
    .innerJoin('projects', 'projects.id', 'environments.project_id')
    .select(['projects.id as projectId', 'projects.key as projectKey', 'projects.name as projectName', 'environments.id as environmentId', 'environments.key as environmentKey', 'environments.name as environmentName'])
    .execute();
  const all = new Map(rows.map((r) => [r.environmentId, r]));
  const projectKeys = [...new Set(values(query, names.project))];
  const environmentKeys = names.environment ? [...new Set(values(query, names.environment))] : [];
  if (environmentKeys.length > 0 && projectKeys.length !== 1) throw validationFailed([{ attribute: names.environment!, reason: `needs exactly one ${names.project}` }]);
  const knownProjects = new Map((await db.selectFrom('projects').select(['id', 'key']).execute()).map((p) => [p.key, p.id]));
  const unknown = projectKeys.filter((key) => !knownProjects.has(key));
  if (unknown.length > 0) throw validationFailed(unknown.slice(0, 5).map((key) => ({ attribute: names.project, reason: `no project has the key "${key.slice(0, 60)}"` })));
  if (projectKeys.length === 0) return { all, selected: undefined, projects: undefined };
  const projects = new Set(projectKeys.map((key) => knownProjects.get(key)!));
  let selected = rows.filter((r) => projects.has(r.projectId));
  if (environmentKeys.length > 0) {
    const missing = environmentKeys.filter((key) => !selected.some((r) => r.environmentKey === key));
    if (missing.length > 0) throw validationFailed(missing.slice(0, 5).map((key) => ({ attribute: names.environment!, reason: `project "${projectKeys[0]}" has no environment "${key.slice(0, 60)}"` })));
    selected = selected.filter((r) => environmentKeys.includes(r.environmentKey));
  }
  return { all, selected: new Set(selected.map((r) => r.environmentId)), projects };
}

export interface CountFact {
  environmentId: string;
  at: number;
  dims: string[];
  count: number;
  minutes: number;
}

export interface KeyFact {
  environmentId: string;
  at: number;
  dims: string[];
  key: string;
}

/** A selection that selects nothing: no query (an `in ()` is no SQL). */
const none = (selected: Set<string> | undefined) => selected !== undefined && selected.size === 0;

/** The metric's hourly counters from `from` to before `to`, in the selected environments. */
export async function countFacts(db: Db, metric: string, from: number, to: number, selected?: Set<string>): Promise<CountFact[]> {
  if (none(selected)) return [];
  let q = db.selectFrom('usage_counts').select(['environment_id', 'hour', 'dims', 'count', 'minutes']).where('metric', '=', metric).where('hour', '>=', from).where('hour', '<', to);
  if (selected) q = q.where('environment_id', 'in', [...selected]);
  const rows = await q.execute();
  return rows.map((r) => ({ environmentId: r.environment_id, at: Number(r.hour), dims: JSON.parse(r.dims) as string[], count: Number(r.count), minutes: Number(r.minutes) }));
}

/** The metric's keys seen from `from` to before `to`, in the selected environments. */
export async function keyFacts(db: Db, metric: string, from: number, to: number, selected?: Set<string>): Promise<KeyFact[]> {
  if (none(selected)) return [];
  let q = db
    .selectFrom('usage_series_keys as k')
    .innerJoin('usage_series as s', 's.id', 'k.series')
    .select(['s.environment_id', 'k.day', 's.dims', 'k.key_hash'])
    .where('s.metric', '=', metric)
    .where('k.day', '>=', from)
    .where('k.day', '<', to);
  if (selected) q = q.where('s.environment_id', 'in', [...selected]);
  const rows = await q.execute();
  return rows.map((r) => ({ environmentId: r.environment_id, at: Number(r.day), dims: JSON.parse(r.dims) as string[], key: r.key_hash }));
}

export type Labels = Record<string, string>;

export type Reduce<F> = { sum: (fact: F) => number } | { busiestHour: (fact: F) => number } | { distinct: (fact: F) => string };

export interface SeriesSpec<F extends { at: number }> {
  facts: readonly F[];
  /** A fact's labels; undefined leaves it out. */
  labels: (fact: F) => Labels | undefined;
  /** Only facts whose label is one of these (a label not named here is not filtered). */
  filters?: Record<string, readonly string[]>;
  groupBy: readonly string[];
  buckets: readonly Bucket[];
  /** The facts a period's value covers: its own (incremental), from its month's start, or the 30 days up to its end. */
  window: 'period' | 'monthToDate' | 'rolling30d';
  reduce: Reduce<F>;
  /** Series present even with no data (a single one, {}, when nothing is grouped). */
  always?: readonly Labels[];
}

export interface SeriesList {
  metadata: Labels[];
  series: Record<string, number>[];
}

/** The earliest fact a spec's windows can cover, for the buckets given. */
export function windowStart(first: Bucket, window: SeriesSpec<{ at: number }>['window']): number {
  if (window === 'rolling30d') return first.end - 30 * DAY_MS;
  if (window === 'monthToDate') return Date.UTC(new Date(first.time).getUTCFullYear(), new Date(first.time).getUTCMonth(), 1);
  return first.time;
}

function windowOf(bucket: Bucket, window: SeriesSpec<{ at: number }>['window']): [number, number] {
  return [windowStart(bucket, window), bucket.end];
}

/** The first index of sorted facts at or after `at`. */
function lowerBound(facts: readonly { at: number }[], at: number): number {
  let lo = 0;
  let hi = facts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (facts[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildSeries<F extends { at: number }>(spec: SeriesSpec<F>): SeriesList {
  const groups = new Map<string, { labels: Labels; facts: F[] }>();
  const groupOf = (labels: Labels) => {
    const picked = Object.fromEntries(spec.groupBy.map((name) => [name, labels[name] ?? '']));
    const id = JSON.stringify(spec.groupBy.map((name) => picked[name]));
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { labels: picked, facts: [] }));
    return group;
  };
  for (const labels of spec.always ?? (spec.groupBy.length === 0 ? [{}] : [])) groupOf(labels);
  const filters = Object.entries(spec.filters ?? {}).filter(([, allowed]) => allowed.length > 0);
  for (const fact of spec.facts) {
    const labels = spec.labels(fact);
    if (!labels || filters.some(([name, allowed]) => !allowed.includes(labels[name] ?? ''))) continue;
    groupOf(labels).facts.push(fact);
  }
  const ordered = [...groups.values()];
  for (const group of ordered) group.facts.sort((a, b) => a.at - b.at);
  const series = spec.buckets.map((bucket) => {
    const point: Record<string, number> = { time: bucket.time };
    const [start, end] = windowOf(bucket, spec.window);
    ordered.forEach((group, i) => {
      const from = lowerBound(group.facts, start);
      const to = lowerBound(group.facts, end);
      point[String(i)] = reduce(group.facts, from, to, spec.reduce);
    });
    return point;
  });
  return { metadata: ordered.map((g) => g.labels), series };
}

function reduce<F extends { at: number }>(facts: readonly F[], from: number, to: number, how: Reduce<F>): number {
  if ('sum' in how) {
    let total = 0;
    for (let i = from; i < to; i++) total += how.sum(facts[i]);
    return total;
  }
  if ('busiestHour' in how) {
    const hours = new Map<number, number>();
    for (let i = from; i < to; i++) {
      const hour = Math.floor(facts[i].at / HOUR_MS);
      hours.set(hour, (hours.get(hour) ?? 0) + how.busiestHour(facts[i]));
    }
    return Math.max(0, ...hours.values());
  }
  const keys = new Set<string>();
  for (let i = from; i < to; i++) keys.add(how.distinct(facts[i]));
  return keys.size;
}

/** The `_links` of a usage answer: itself. */
export function selfLinks(url: string): Record<string, { href: string; type: string }> {
  return { self: { href: url, type: 'application/json' } };
}
