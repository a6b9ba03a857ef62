// A test server on a fresh store, with tokens for each role and a request helper (inject or real HTTP).
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Deps, Role } from '../../src/http/context.js';
import { insertToken, mintToken } from '../../src/resources/tokens/tokens.js';
import type { RegisteredRoute } from '../../src/http/routeTable.js';
import type { ChangeBus } from '../../src/store/changes.js';
import type { Store } from '../../src/store/db.js';
import { observeResponse } from './conformance.js';
import { freshDatabase, type FreshDatabase, type TestDb } from './db.js';
import { serverDatabase } from './serverDatabase.js';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text (sent as is). */
  raw?: string;
  token?: string | null;
  headers?: Record<string, string>;
  /** The address the request comes from (inject's remoteAddress; 127.0.0.1 unless given). */
  remoteAddress?: string;
}

export interface TestServer {
  app: FastifyInstance;
  deps: Deps;
  store: Store;
  bus: ChangeBus;
  /** Base URL when started with listen: true. */
  url: string;
  tokens: Record<Role, string>;
  /** Every route the app registered (grows as slices add routes; suites enumerate it). */
  routes: readonly RegisteredRoute[];
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<Response<T>>;
  get<T = any>(path: string, options?: RequestOptions): Promise<Response<T>>;
  post<T = any>(path: string, body: unknown, options?: RequestOptions): Promise<Response<T>>;
  patch<T = any>(path: string, body: unknown, options?: RequestOptions): Promise<Response<T>>;
  put<T = any>(path: string, body: unknown, options?: RequestOptions): Promise<Response<T>>;
  del<T = any>(path: string, options?: RequestOptions): Promise<Response<T>>;
  close(): Promise<void>;
}

export interface StartOptions {
  listen?: boolean;
  env?: Record<string, string>;
  now?: () => number;
  db?: TestDb;
  /** Serve this already-open store (e.g. one just imported into) instead of a fresh database; the caller drops it. */
  store?: Store;
  /** Use these existing tokens instead of minting one per role into the store. */
  tokens?: Record<Role, string>;
  /** Pino options (e.g. a captured stream); silent by default. */
  logger?: Record<string, unknown>;
  /** Share this database (another instance's) instead of a fresh one; it is then not dropped on close. */
  database?: FreshDatabase;
  changeBus?: ChangeBus;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const shared = options.database;
  const database = options.store ? { url: 'sqlite::memory:', drop: async () => {} } : (shared ?? (await serverDatabase(options.db)));
  // No timed writes of the tokens' last uses: a write in the background would show in the suites' before/after digests.
  const config: Config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: options.logger ? 'trace' : 'silent', TOKEN_USAGE_FLUSH_MS: '0', ...options.env });
  const { app, deps, store, bus, routes } = await buildApp(config, {
    logger: options.logger ?? false,
    observeResponse,
    now: options.now,
    store: options.store,
    changeBus: options.changeBus,
  });
  const now = deps.now();
  let tokens = options.tokens;
  if (!tokens) {
    tokens = {} as Record<Role, string>;
    for (const role of ['reader', 'writer', 'admin'] as Role[]) {
      tokens[role] = mintToken();
      await insertToken(store.db, deps.accountId, tokens[role], { name: `test ${role}`, role }, now);
    }
  }
  const minted = tokens;
  let url = '';
  if (options.listen) url = await app.listen({ port: 0, host: '127.0.0.1' });

  const request = async <T>(method: string, path: string, opts: RequestOptions = {}): Promise<Response<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? minted.admin : opts.token;
    if (token !== null) headers.authorization = token;
    let payload: string | undefined;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await app.inject({ method: method as never, url: path, headers, payload, ...(opts.remoteAddress !== undefined ? { remoteAddress: opts.remoteAddress } : {}) });
    let body: unknown = res.body;
    if (res.body && String(res.headers['content-type'] ?? '').includes('json')) body = JSON.parse(res.body);
    return { status: res.statusCode, body: body as T, headers: res.headers as Response['headers'] };
  };

  return {
    app,
    deps,
    store,
    bus,
    url,
    tokens: minted,
    routes,
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
    patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
    put: (path, body, opts) => request('PUT', path, { ...opts, body }),
    del: (path, opts) => request('DELETE', path, opts),
    close: async () => {
      await app.close();
      if (!shared) await database.drop();
    },
  };
}

/** Several test servers ("instances") sharing one fresh database; close() closes them all and drops it. */
export function sharedDatabase(db: TestDb = 'postgres') {
  let database: FreshDatabase | undefined;
  const servers: TestServer[] = [];
  return {
    /** The database, created on first use. */
    async database(): Promise<FreshDatabase> {
      database ??= await freshDatabase(db);
      return database;
    },
    async start(options: StartOptions = {}): Promise<TestServer> {
      const server = await startServer({ ...options, database: await this.database() });
      servers.push(server);
      return server;
    },
    async close(): Promise<void> {
      for (const server of servers.splice(0)) await server.close();
      await database?.drop();
      database = undefined;
    },
  };
}
