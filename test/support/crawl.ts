// Walks a server's resources the way a client would: from every GET route, following `_links`, filling each
// route's path parameters with values seen in links. Also seeds a store with the spec's own request examples.
import type { RegisteredRoute } from '../../src/http/routeTable.js';
import { conformance } from './conformance.js';
import { fillPath, paramNames } from './routes.js';
import type { Response, TestServer } from './server.js';

/** Each route pattern's expression, made once: a crawl matches every link it sees against every route. */
const patterns = new Map<string, RegExp>();

function patternRegex(url: string): RegExp {
  let pattern = patterns.get(url);
  if (!pattern) {
    const source = url
      .split('/')
      .map((part) => (part.startsWith(':') ? '([^/]+)' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    pattern = new RegExp(`^${source}/?$`);
    patterns.set(url, pattern);
  }
  return pattern;
}

/** The path parameters of `path` if it matches the route pattern `url`. */
export function matchRoute(url: string, path: string): Record<string, string> | undefined {
  const match = patternRegex(url).exec(path);
  if (!match) return undefined;
  const names = paramNames(url);
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
}

/** Every `href` under /api/v2 anywhere in a response body. */
function hrefs(body: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(body)) for (const item of body) hrefs(item, out);
  else if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'href' && typeof value === 'string' && value.startsWith('/api/v2/')) out.add(value);
      else hrefs(value, out);
    }
  }
  return out;
}

/** Parameter values seen so far: each a consistent set of values from one matched link. */
export class ParamPool {
  private readonly seen = new Map<string, Record<string, string>>();

  learn(routes: readonly RegisteredRoute[], path: string): void {
    for (const route of routes) {
      const params = matchRoute(route.url, path.split('?')[0]);
      if (params && Object.keys(params).length > 0) this.seen.set(JSON.stringify(params), params);
    }
  }

  /** Concrete paths for a route: every known combination of its parameters. */
  paths(route: RegisteredRoute): string[] {
    const names = paramNames(route.url);
    if (names.length === 0) return [route.url];
    const out = new Set<string>();
    for (const params of this.seen.values()) {
      if (names.every((name) => name in params)) out.add(fillPath(route.url, params));
    }
    // A single parameter may come from any link that carries it.
    if (names.length === 1) for (const params of this.seen.values()) if (names[0] in params) out.add(fillPath(route.url, { [names[0]]: params[names[0]] }));
    return [...out];
  }
}

export interface CrawlResult {
  /** Path (with query, as linked) -> the answer. */
  answers: Map<string, Pick<Response, 'status' | 'body'>>;
  pool: ParamPool;
}

/** GETs every reachable resource of `s`, breadth first, up to `limit` requests. */
export async function crawl(s: TestServer, routes: readonly RegisteredRoute[], limit = 3000): Promise<CrawlResult> {
  const gets = routes.filter((r) => r.method === 'GET' && !r.config.public);
  const pool = new ParamPool();
  const answers = new Map<string, Pick<Response, 'status' | 'body'>>();
  const queue: string[] = [];
  const enqueue = (path: string) => {
    if (!answers.has(path) && !queue.includes(path) && answers.size + queue.length < limit) queue.push(path);
  };
  for (;;) {
    for (const route of gets) for (const path of pool.paths(route)) enqueue(path);
    if (queue.length === 0) break;
    while (queue.length > 0) {
      const path = queue.shift()!;
      const route = gets.find((r) => matchRoute(r.url, path.split('?')[0]));
      const res = await s.get(path, { headers: route?.config.beta ? { 'LD-API-Version': 'beta' } : {} });
      answers.set(path, { status: res.status, body: res.body });
      for (const href of hrefs(res.body)) {
        pool.learn(routes, href);
        if (gets.some((r) => matchRoute(r.url, href.split('?')[0]))) enqueue(href);
      }
    }
  }
  return { answers, pool };
}

/**
 * Creates whatever the spec's own request examples create, on every POST/PUT route whose path parameters can
 * be filled from resources already there; repeated so that resources depending on others get their turn.
 * Returns how many example requests succeeded. Slices added later are populated without changes here.
 */
export async function populateFromSpecExamples(s: TestServer, routes: readonly RegisteredRoute[], passes = 3): Promise<number> {
  let created = 0;
  const done = new Set<string>();
  for (let pass = 0; pass < passes; pass++) {
    const { pool } = await crawl(s, routes);
    let progress = false;
    for (const route of routes.filter((r) => r.method === 'POST' || r.method === 'PUT')) {
      const example = conformance().operation(route.method, route.url)?.requestBody?.content?.['application/json']?.example;
      if (example === undefined) continue;
      for (const path of pool.paths(route).slice(0, 3)) {
        if (done.has(`${route.method} ${path}`)) continue;
        const res = await s.request(route.method, path, { body: example, headers: route.config.beta ? { 'LD-API-Version': 'beta' } : {} });
        if (res.status < 300) {
          done.add(`${route.method} ${path}`);
          created += 1;
          progress = true;
        }
      }
    }
    if (!progress) break;
  }
  return created;
}
