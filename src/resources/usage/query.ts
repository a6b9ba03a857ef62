// The query parameters the usage operations share, read and checked: the range (`from`, `to`: Unix milliseconds, or
// seconds where a number is too small to be a date in milliseconds), repeated filters, `groupBy`, `aggregationType`
// and `granularity` against what each operation takes, and `tz`. Each problem is a 400 naming the parameter.
import { validationFailed, type FieldError } from '../../http/errors.js';
import { DAY_MS, HOUR_MS } from './tally.js';

export type Query = Record<string, unknown>;

/** Every value of a parameter that may be repeated (`?projectKey=a&projectKey=b`), empty ones dropped. */
export function values(query: Query, name: string): string[] {
  const raw = query[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map(String).filter((v) => v !== '');
}

/** The one value of a parameter that may not be repeated; undefined when absent. */
export function single(query: Query, name: string): string | undefined {
  const list = values(query, name);
  if (list.length > 1) throw validationFailed([{ attribute: name, reason: 'may be given once' }]);
  return list[0];
}

/** Below this a timestamp reads as Unix seconds (1e11 ms is March 1973; 1e11 s is the year 5138). */
const SECONDS_BELOW = 1e11;
const MAX_TIME = 8.64e15;

/** A timestamp parameter in epoch ms; undefined when absent. */
export function timestamp(query: Query, name: string): number | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw validationFailed([{ attribute: name, reason: `must be a Unix timestamp in milliseconds, not "${text.slice(0, 40)}"` }]);
  const n = Number(text);
  const ms = n < SECONDS_BELOW ? n * 1000 : n;
  if (ms > MAX_TIME) throw validationFailed([{ attribute: name, reason: 'is beyond the latest date' }]);
  return ms;
}

export interface Range {
  from: number;
  to: number;
}

/** The start of `at`'s month (UTC). */
export function monthStart(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonth(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * `from` and `to`, with the operation's defaults (`defaultFrom` of now); `from` after `to` is a 400, and so is a
 * range longer than `maxDays` when the operation has a maximum.
 */
export function readRange(query: Query, now: number, defaultFrom: (now: number) => number, maxDays?: number): Range {
  const to = timestamp(query, 'to') ?? now;
  const from = timestamp(query, 'from') ?? Math.min(defaultFrom(now), to);
  if (from > to) throw validationFailed([{ attribute: 'from', reason: 'must not be after to' }]);
  if (maxDays !== undefined && to - from > maxDays * DAY_MS) throw validationFailed([{ attribute: 'from', reason: `the range from from to to may be at most ${maxDays} days` }]);
  return { from, to };
}

/** A parameter that takes one of `allowed`; `fallback` when absent. */
export function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[], fallback: T): T;
export function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined;
export function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[], fallback?: T): T | undefined {
  const value = single(query, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw validationFailed([{ attribute: name, reason: `must be one of ${allowed.join(', ')}, not "${value.slice(0, 40)}"` }]);
  return value as T;
}

/** A repeatable parameter whose every value is one of `allowed`. */
export function someOf<T extends string>(query: Query, name: string, allowed: readonly T[]): T[] {
  const list = values(query, name);
  const errors: FieldError[] = list.filter((v) => !(allowed as readonly string[]).includes(v)).map((v) => ({ attribute: name, reason: `must be one of ${allowed.join(', ')}, not "${v.slice(0, 40)}"` }));
  if (errors.length > 0) throw validationFailed(errors.slice(0, 5));
  return [...new Set(list)] as T[];
}

export type Granularity = 'hourly' | 'daily' | 'monthly';

/** `granularity`, checked against what the aggregation type takes (`allowed`); `daily` when absent. */
export function readGranularity(query: Query, allowed: readonly Granularity[], aggregationType: string): Granularity {
  const value = single(query, 'granularity') ?? 'daily';
  if (!(['hourly', 'daily', 'monthly'] as string[]).includes(value)) throw validationFailed([{ attribute: 'granularity', reason: `must be one of hourly, daily, monthly, not "${value.slice(0, 40)}"` }]);
  if (!(allowed as string[]).includes(value)) throw validationFailed([{ attribute: 'granularity', reason: `${value} is not supported with aggregationType ${aggregationType}; use ${allowed.join(' or ')}` }]);
  return value as Granularity;
}

/** A time zone for the breaks between days (`tz`): an IANA name; UTC when absent. */
export function readTimeZone(query: Query): string {
  const tz = single(query, 'tz');
  if (tz === undefined) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw validationFailed([{ attribute: 'tz', reason: `must be a time zone name such as America/New_York, not "${tz.slice(0, 40)}"` }]);
  }
  return tz;
}

/** How far `tz` is ahead of UTC at `at`, in ms. */
function offsetOf(tz: string, at: number): number {
  if (tz === 'UTC') return 0;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(at / 1000) * 1000;
}

/** The start of the day that holds `at`, in `tz`. */
function dayStart(at: number, tz: string): number {
  const offset = offsetOf(tz, at);
  const start = Math.floor((at + offset) / DAY_MS) * DAY_MS - offset;
  // Across a change of offset the day began at the other offset.
  const again = offsetOf(tz, start);
  return again === offset ? start : Math.floor((at + again) / DAY_MS) * DAY_MS - again;
}

export interface Bucket {
  /** The series' `time`: the period's start. */
  time: number;
  end: number;
}

/** The most periods an answer holds. */
export const MAX_PERIODS = 10_000;
const PERIOD_MS: Record<Granularity, number> = { hourly: HOUR_MS, daily: DAY_MS, monthly: 28 * DAY_MS };

/**
 * The periods from `from`'s to `to`'s, each whole (the first starts before `from`, the last ends after `to`); a range
 * of more than MAX_PERIODS periods is a 400.
 */
export function buckets(range: Range, granularity: Granularity, tz = 'UTC'): Bucket[] {
  if ((range.to - range.from) / PERIOD_MS[granularity] > MAX_PERIODS - 2) {
    throw validationFailed([{ attribute: 'from', reason: `the range from from to to holds more than ${MAX_PERIODS} ${granularity} periods; narrow it` }]);
  }
  const out: Bucket[] = [];
  if (granularity === 'hourly') {
    for (let t = Math.floor(range.from / HOUR_MS) * HOUR_MS; t <= range.to; t += HOUR_MS) out.push({ time: t, end: t + HOUR_MS });
  } else if (granularity === 'monthly') {
    for (let t = monthStart(range.from); t <= range.to; t = nextMonth(t)) out.push({ time: t, end: nextMonth(t) });
  } else {
    for (let t = dayStart(range.from, tz); t <= range.to; ) {
      const end = dayStart(t + DAY_MS + 2 * HOUR_MS, tz);
      out.push({ time: t, end });
      t = end;
    }
  }
  return out;
}

/**
 * The older operations' granularity, which follows the age of the range: hourly when it starts within the last two
 * days, daily otherwise (LaunchDarkly's minutely data for the last two hours is hourly here).
 */
export function granularityByAge(range: Range, now: number): Granularity {
  return now - range.from <= 2 * DAY_MS ? 'hourly' : 'daily';
}
