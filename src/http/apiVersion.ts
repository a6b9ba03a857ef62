// Which LaunchDarkly API version a request asked for (header, else its token's default), as a number to compare.
import type { FastifyRequest } from 'fastify';
import { CURRENT_API_VERSION } from './edge.js';
import type { Page } from './links.js';
import { readPage } from './links.js';

/** `beta` (and a request the edge did not authenticate) reads as the current version. */
export function apiVersionOf(request: FastifyRequest): number {
  const version = Number(request.apiVersion);
  return Number.isInteger(version) && version > 0 ? version : CURRENT_API_VERSION;
}

/**
 * A list that LaunchDarkly paginated only from API version `pagedSince` on: older versions get every item when the
 * client asks for no `limit`. Returns the page, to be completed with `unpaged(total)` once the total is known.
 */
export function readVersionedPage(request: FastifyRequest, query: Record<string, unknown>, defaultLimit: number, pagedSince: number): Page & { unpaged: boolean } {
  const page = readPage(query, defaultLimit);
  const unpaged = apiVersionOf(request) < pagedSince && (query.limit === undefined || query.limit === '');
  return { ...page, unpaged };
}

/** The page to use once the total is known: all of it (from the offset) when the list is unpaged. */
export function settlePage(page: Page & { unpaged: boolean }, total: number): Page {
  return page.unpaged ? { limit: Math.max(1, total - page.offset), offset: page.offset } : { limit: page.limit, offset: page.offset };
}
