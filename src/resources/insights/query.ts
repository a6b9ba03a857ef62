// The query parameters the Insights operations share, each read strictly (a 400 naming it): the project and
// environment (required where LaunchDarkly requires them), comma-separated application keys, a time window (`from`,
// `to`: Unix milliseconds, or the date-time some of the spec's parameters are typed as), limits, booleans and the
// pagination cursors (`after`, `before`: the id of the last or first item of the page seen).
import { createHash } from 'node:crypto';
import { validationFailed } from '../../http/errors.js';

export type Query = Record<string, unknown>;

/** LaunchDarkly's default window: "Default value is 7 days ago". */
export const DEFAULT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;
/** Beyond this no date exists (JavaScript's Date range). */
const MAX_MS = 8.64e15;

/** One value of a parameter: a repeated one is a 400 (which applies would be a guess). */
function single(query: Query, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw validationFailed([{ attribute: name, reason: 'must be given once' }]);
  return String(raw);
}

export function readText(query: Query, name: string, required = false): string | undefined {
  const value = single(query, name)?.trim();
  if (value === undefined || value === '') {
    if (required) throw validationFailed([{ attribute: name, reason: 'is required' }]);
    return undefined;
  }
  return value;
}

export function readRequired(query: Query, name: string): string {
  return readText(query, name, true)!;
}

/** One of the values an option takes (the default when absent). */
export function readOption<T extends string>(query: Query, name: string, options: readonly T[], fallback?: T): T | undefined {
  const value = readText(query, name);
  if (value === undefined) return fallback;
  if (!options.includes(value as T)) throw validationFailed([{ attribute: name, reason: `must be one of ${options.join(', ')}, not "${value}"` }]);
  return value as T;
}

/** `a,b,c` as a list of distinct keys; undefined when absent. */
export function readKeys(query: Query, name: string): string[] | undefined {
  const value = readText(query, name);
  if (value === undefined) return undefined;
  const keys = [...new Set(value.split(',').map((k) => k.trim()).filter((k) => k !== ''))];
  return keys.length > 0 ? keys : undefined;
}

export function readBoolean(query: Query, name: string): boolean | undefined {
  const value = readText(query, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw validationFailed([{ attribute: name, reason: `must be true or false, not "${value}"` }]);
  return value === 'true';
}

export function readInteger(query: Query, name: string, min: number, max: number): number | undefined {
  const value = readText(query, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw validationFailed([{ attribute: name, reason: `must be a whole number from ${min} to ${max}, not "${value}"` }]);
  }
  return Number(value);
}

/** A time: Unix milliseconds, or an RFC 3339 date-time. */
function readTime(query: Query, name: string): number | undefined {
  const value = readText(query, name);
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_MS) throw validationFailed([{ attribute: name, reason: `must be a Unix time in milliseconds or a date-time, not "${value}"` }]);
  return ms;
}

export interface Window {
  from: number;
  to: number;
}

/** `from` (7 days before `to` by default) and `to` (now by default); `from` after `to` is a 400. */
export function readWindow(query: Query, now: number): Window {
  const to = readTime(query, 'to') ?? now;
  const from = readTime(query, 'from') ?? to - DEFAULT_WINDOW_MS;
  if (from > to) throw validationFailed([{ attribute: 'from', reason: 'must not be after to' }]);
  return { from, to };
}

/** `limit`: 20 by default, at most 100 (LaunchDarkly: "Default is 20. Maximum allowed is 100."). */
export function readLimit(query: Query, max = 100, fallback = 20): number {
  return readInteger(query, 'limit', 1, max) ?? fallback;
}

/**
 * The page of `items` (in the list's order, each with an `id`) after the cursor `after`, or before `before`, `limit`
 * long; a cursor that names no item is a 400. Links carry the cursors of the neighbouring pages.
 */
export function cursorPage<T extends { id: string }>(items: readonly T[], query: Query, limit: number): { page: T[]; next?: string; prev?: string } {
  const after = readText(query, 'after');
  const before = readText(query, 'before');
  if (after !== undefined && before !== undefined) throw validationFailed([{ attribute: 'before', reason: 'cannot be sent with after' }]);
  const find = (name: string, id: string) => {
    const at = items.findIndex((item) => item.id === id);
    if (at < 0) throw validationFailed([{ attribute: name, reason: `names no item of this list: "${id}"` }]);
    return at;
  };
  let start = 0;
  let end = Math.min(items.length, limit);
  if (after !== undefined) {
    start = find('after', after) + 1;
    end = Math.min(items.length, start + limit);
  } else if (before !== undefined) {
    end = find('before', before);
    start = Math.max(0, end - limit);
  }
  const page = items.slice(start, end);
  return { page, ...(end < items.length && page.length > 0 ? { next: page[page.length - 1].id } : {}), ...(start > 0 && page.length > 0 ? { prev: page[0].id } : {}) };
}

/** `_links` of a cursor page: self, and next/prev with the cursors, the other parameters carried along. */
export function cursorLinks(path: string, query: Query, cursors: { next?: string; prev?: string }): Record<string, { href: string; type: string }> {
  const href = (extra: Record<string, string>) => {
    const q = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (name !== 'after' && name !== 'before' && value !== undefined && !Array.isArray(value)) q.set(name, String(value));
    for (const [name, value] of Object.entries(extra)) q.set(name, value);
    const text = q.toString();
    return { href: text ? `${path}?${text}` : path, type: 'application/json' };
  };
  return {
    self: href(Object.fromEntries(['after', 'before'].flatMap((name) => (typeof query[name] === 'string' ? [[name, query[name] as string]] : [])))),
    ...(cursors.next ? { next: href({ after: cursors.next }) } : {}),
    ...(cursors.prev ? { prev: href({ before: cursors.prev }) } : {}),
  };
}

/** A deterministic UUID (v5-shaped) for an item iterlab derives rather than stores (a flag event, a pull request). */
export function derivedUuid(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
