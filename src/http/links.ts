// `_links` and pagination exactly as LaunchDarkly renders them: server-relative hrefs, type application/json.
import { Type } from '@sinclair/typebox';
import { check } from './validation.js';
import { validationFailed } from './errors.js';

export interface Link {
  href: string;
  type: string;
}

export function link(href: string): Link {
  return { href, type: 'application/json' };
}

export function siteLink(href: string): Link {
  return { href, type: 'text/html' };
}

export interface Page {
  limit: number;
  offset: number;
}

/** Beyond this, SQL LIMIT/OFFSET parameters overflow (a 500 on both databases); no real page needs more. */
const MAX_PAGE_NUMBER = 2_147_483_647;

const pageSchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_NUMBER })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_PAGE_NUMBER })),
});

/** Reads `limit`/`offset` from the raw query; a value that is not a whole number is a 400 naming it. */
export function readPage(query: Record<string, unknown>, defaultLimit: number, maxLimit?: number): Page {
  const parsed: Record<string, unknown> = {};
  for (const name of ['limit', 'offset'] as const) {
    const raw = query[name];
    if (raw === undefined || raw === '') continue;
    parsed[name] = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  }
  const errors = check(pageSchema, parsed);
  if (errors.length > 0) throw validationFailed(errors);
  let limit = (parsed.limit as number | undefined) ?? defaultLimit;
  if (maxLimit !== undefined && limit > maxLimit) limit = maxLimit;
  return { limit, offset: (parsed.offset as number | undefined) ?? 0 };
}

/**
 * `self` plus first/prev/next/last where those pages exist. `params` are the other query parameters
 * to carry along (filter, expand...), in the order the caller gives them. A page past the end has the
 * last page as its `prev` (LaunchDarkly: the links "will not be present if the pages they refer to don't exist").
 * `last` is the final page on the current page's grid (offset + k*limit), so that following `next` lands on it:
 * with an offset that is not a multiple of limit, the multiple-of-limit page would overlap the one before it.
 */
export function pageLinks(path: string, page: Page, total: number, params: Record<string, string | undefined> = {}): Record<string, Link> {
  const href = (offset: number) => {
    const q = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined) q.set(name, value);
    q.set('limit', String(page.limit));
    q.set('offset', String(offset));
    return link(`${path}?${q.toString()}`);
  };
  // The final page counted from offset 0: where a page past the end steps back to.
  const lastFromStart = total > 0 ? Math.floor((total - 1) / page.limit) * page.limit : 0;
  const links: Record<string, Link> = { self: href(page.offset) };
  if (page.offset > 0) {
    links.first = href(0);
    links.prev = href(Math.min(Math.max(0, page.offset - page.limit), lastFromStart));
  }
  if (page.offset + page.limit < total) {
    links.next = href(page.offset + page.limit);
    links.last = href(page.offset + Math.floor((total - 1 - page.offset) / page.limit) * page.limit);
  }
  return links;
}

/** `expand=a,b` -> Set {a, b}. */
export function readExpand(query: Record<string, unknown>): Set<string> {
  const raw = query.expand;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out = new Set<string>();
  for (const value of values) for (const part of String(value).split(',')) if (part.trim()) out.add(part.trim());
  return out;
}

/** `expand=a,b` where the operation takes only `allowed`: another field is a 400 naming `expand`. */
export function readKnownExpand<T extends string>(query: Record<string, unknown>, allowed: readonly T[]): Set<T> {
  const values = readExpand(query);
  const unknown = [...values].find((value) => !allowed.includes(value as T));
  if (unknown !== undefined) throw validationFailed([{ attribute: 'expand', reason: `cannot expand "${unknown}"; use ${allowed.join(', ')}` }]);
  return values as Set<T>;
}
