// buildApp(config): opens the store, migrates, ensures the owner and admin token, and wires the HTTP edge and routes.
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import type { ChangeNotice, Deps } from './http/context.js';
import { clientErrorHandler, frameworkErrors, installEdge, ROUTER_OPTIONS } from './http/edge.js';
import { MemoryRateLimiter, type RateLimiter } from './http/rateLimit.js';
import { recordRoutes, type RegisteredRoute } from './http/routeTable.js';
import { bodyAjv, parseJsonBody, parseOtherBody, queryAjv } from './http/validation.js';
import { ensureOwner } from './resources/members/members.js';
import { ensureAdminToken, TokenAuthenticator } from './resources/tokens/tokens.js';
import { registerRoutes } from './routes.js';
import { guardRunningExperimentRules } from './resources/experiments/ruleOwnership.js';
import { registerFlagGuard } from './resources/flags/guards.js';
import { Store } from './store/db.js';

export interface AppOptions {
  /** An already-open store (tests); otherwise config.databaseUrl is opened. */
  store?: Store;
  now?: () => number;
  /** Pino options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
  rateLimiter?: RateLimiter;
  /** Sees every response before it is sent (the test suite's spec-conformance check). */
  observeResponse?: (request: FastifyRequest, reply: FastifyReply, payload: unknown) => void;
}

export interface BuiltApp {
  app: FastifyInstance;
  deps: Deps;
  store: Store;
  /** Set when the store had no token and one was generated: print it once. */
  generatedAdminToken: string | undefined;
  /** Every route registered, with its declared role/beta/public config (suites enumerate it). */
  routes: readonly RegisteredRoute[];
}

export async function buildApp(config: Config, options: AppOptions = {}): Promise<BuiltApp> {
  const store = options.store ?? Store.open(config.databaseUrl, { poolSize: config.databasePoolSize, statementTimeoutMs: config.statementTimeoutMs });
  await store.migrate();
  const now = options.now ?? Date.now;
  const owner = await ensureOwner(store.db, now());
  const generatedAdminToken = await ensureAdminToken(store.db, owner.id, config.adminToken, now());
  const authenticator = new TokenAuthenticator(store.db);
  registerFlagGuard(guardRunningExperimentRules);

  const deps: Deps = {
    store,
    config,
    now,
    accountId: owner.id,
    changed: (what: ChangeNotice) => {
      if (what.kind === 'token') authenticator.invalidate();
    },
  };

  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    // Node checks requestTimeout only every connectionsCheckingInterval (30 s by default), which would let a
    // client that trickles its headers hold a connection far past REQUEST_TIMEOUT_MS.
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.requestTimeoutMs / 4))),
    },
    clientErrorHandler,
    frameworkErrors,
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ...ROUTER_OPTIONS },
    // LaunchDarkly tunnels DELETE/PATCH/PUT through POST for clients that cannot send them.
    rewriteUrl: (req) => {
      const override = req.headers['x-http-method-override'];
      if (req.method === 'POST' && typeof override === 'string' && ['PATCH', 'PUT', 'DELETE'].includes(override.toUpperCase())) {
        req.method = override.toUpperCase();
      }
      return req.url ?? '/';
    },
  });

  const routes = recordRoutes(app);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema));
  // JSON bodies with parameters (charset, LaunchDarkly's `domain-model=launchdarkly.semanticpatch`) parse as JSON.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json(\s*;.*)?$/i, { parseAs: 'string' }, parseJsonBody);
  app.addContentTypeParser('*', { parseAs: 'string' }, parseOtherBody);

  installEdge(app, {
    authenticate: (token) => authenticator.authenticate(token),
    rateLimiter: options.rateLimiter ?? new MemoryRateLimiter(config.rateLimitGlobalPer10s, config.rateLimitRoutePer10s),
    now,
  });
  if (options.observeResponse) {
    const observe = options.observeResponse;
    app.addHook('onSend', async (request, reply, payload) => {
      observe(request, reply, payload);
      return payload;
    });
  }
  registerRoutes(app, deps);
  app.addHook('onClose', async () => {
    await store.close();
  });
  return { app, deps, store, generatedAdminToken, routes };
}
