// Insights charts: the x-axis buckets a chart's query asks for (rolling windows of bucketMs ending at `to`, or whole
// UTC hours or days), series of points in them, and the InsightsChart representation: the only code that builds it.
import { validationFailed } from '../../http/errors.js';
import { readInteger, readOption, type Query, type Window } from './query.js';

const HOUR_MS = 60 * 60 * 1000;
export const DAY = 24 * HOUR_MS;
/** More points than a chart can show are a 400 naming bucketMs (or the window). */
const MAX_BUCKETS = 2000;

export interface Bucket {
  start: number;
  end: number;
}

/** The buckets of the window: `bucketType` rolling (the default: bucketMs each, the last ending at `to`), hour or day (UTC). */
export function readBuckets(query: Query, window: Window): Bucket[] {
  const type = readOption(query, 'bucketType', ['rolling', 'hour', 'day'] as const, 'rolling')!;
  const size = type === 'hour' ? HOUR_MS : type === 'day' ? DAY : (readInteger(query, 'bucketMs', 60_000, 366 * DAY) ?? DAY);
  if (type !== 'rolling') readInteger(query, 'bucketMs', 60_000, 366 * DAY);
  const first = type === 'rolling' ? window.to - Math.ceil((window.to - window.from) / size || 1) * size : Math.floor(window.from / size) * size;
  const count = Math.ceil((window.to - first) / size) || 1;
  if (count > MAX_BUCKETS) throw validationFailed([{ attribute: 'bucketMs', reason: `makes ${count} buckets of the window; at most ${MAX_BUCKETS}` }]);
  return Array.from({ length: count }, (_, i) => ({ start: first + i * size, end: first + (i + 1) * size }));
}

export interface Point {
  x: number;
  y: number;
  values?: Record<string, unknown>;
}

export interface Series {
  name: string;
  count?: number;
  data: Point[];
}

/** Items grouped by `groupOf` (in the order of `names` when given), counted in each bucket by `timeOf`. */
export function countSeries<T>(items: readonly T[], buckets: readonly Bucket[], timeOf: (item: T) => number, groupOf: (item: T) => string, names?: readonly string[]): Series[] {
  const groups = new Map<string, T[]>((names ?? []).map((name) => [name, []]));
  for (const item of items) groups.set(groupOf(item), [...(groups.get(groupOf(item)) ?? []), item]);
  const ordered = names ? [...groups.keys()] : [...groups.keys()].sort();
  return ordered.map((name) => {
    const members = groups.get(name)!;
    const data = buckets.map((b) => ({ x: b.start, y: members.filter((m) => timeOf(m) >= b.start && timeOf(m) < b.end).length }));
    return { name, count: data.reduce((sum, p) => sum + p.y, 0), data };
  });
}

/** InsightsChart. */
export function representChart(name: string, axes: { x: string; y: string }, summary: Record<string, unknown>, series: readonly Series[], metrics?: Record<string, unknown>): Record<string, unknown> {
  return {
    metadata: { name, summary, xAxis: { unit: axes.x }, yAxis: { unit: axes.y }, ...(metrics ? { metrics } : {}) },
    series: series.map((s) => ({ metadata: { name: s.name, ...(s.count !== undefined ? { count: s.count } : {}) }, data: s.data })),
  };
}

/** Whole days of a window (at least an hour's worth), for per-day rates. */
export function daysOf(window: Window): number {
  return Math.max(window.to - window.from, HOUR_MS) / DAY;
}
