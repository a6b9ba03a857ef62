// buildApp(config): opens the store, migrates, ensures the owner and admin token, and wires the HTTP edge and routes.
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import type { Actor, ChangeNotice, Deps } from './http/context.js';
import { authorizeCustomRole } from './resources/custom-roles/access.js';
import { clientErrorHandler, frameworkErrors, installEdge, ROUTER_OPTIONS } from './http/edge.js';
import { installOperations, type Operations } from './http/operations.js';
import type { RateLimiter } from './http/rateLimit.js';
import { openRateLimiter, RedisRateLimiter } from './http/redisRateLimit.js';
import { ResponseCache } from './http/responseCache.js';
import { recordRoutes, type RegisteredRoute } from './http/routeTable.js';
import { endSilentConnectionsOnClose } from './http/silentConnections.js';
import { ajvFor, lazyValidator, parseJsonBody, parseOtherBody } from './http/validation.js';
import { ensureOwner } from './resources/members/members.js';
import { ensureAdminToken, TokenAuthenticator } from './resources/tokens/tokens.js';
import { TokenUsage } from './resources/tokens/usage.js';
import { registerRoutes } from './routes.js';
import { Catalog } from './resources/catalog.js';
import { guardRunningExperimentRules } from './resources/experiments/ruleOwnership.js';
import { guardAIConfigFlags } from './resources/ai-configs/backingFlag.js';
import { registerFlagGuard } from './resources/flags/guards.js';
import { openChangeBus, PgChangeBus, type ChangeBus } from './store/changes.js';
import { Store } from './store/db.js';
import { loggedUrl } from './resources/flag-triggers/model.js';
import { IpAllowlistGuard } from './resources/ip-allowlist/guard.js';

export interface AppOptions {
  /** An already-open store (tests); otherwise config.databaseUrl is opened. */
  store?: Store;
  now?: () => number;
  /** Pino options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
  rateLimiter?: RateLimiter;
  /** Another change bus (tests); otherwise LISTEN/NOTIFY on PostgreSQL, local on SQLite. */
  changeBus?: ChangeBus;
  /** Sees every response before it is sent (the test suite's spec-conformance check). */
  observeResponse?: (request: FastifyRequest, reply: FastifyReply, payload: unknown) => void;
}

export interface BuiltApp {
  app: FastifyInstance;
  deps: Deps;
  store: Store;
  bus: ChangeBus;
  rateLimiter: RateLimiter;
  operations: Operations;
  /** Set when the store had no token and one was generated: print it once. */
  generatedAdminToken: string | undefined;
  /** Every route registered, with its declared role/beta/public config (suites enumerate it). */
  routes: readonly RegisteredRoute[];
}

export async function buildApp(config: Config, options: AppOptions = {}): Promise<BuiltApp> {
  const store =
    options.store ??
    Store.open(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      statementTimeoutMs: config.statementTimeoutMs,
      idleTimeoutMs: config.databaseIdleTimeoutMs,
      connectTimeoutMs: config.databaseConnectTimeoutMs,
    });
  const now = options.now ?? Date.now;
  let bootstrapped: { owner: { id: string }; generatedAdminToken: string | undefined };
  try {
    await store.migrate();
    // Instances starting together on an empty store: exactly one creates the owner and the first admin token.
    bootstrapped = await store.exclusive(async (trx) => {
      const member = await ensureOwner(trx, now());
      return { owner: member, generatedAdminToken: await ensureAdminToken(trx, member.id, config.adminToken, now()) };
    });
  } catch (err) {
    if (!options.store) await store.close();
    throw err;
  }
  const { owner, generatedAdminToken } = bootstrapped;

  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
            ...(typeof options.logger === 'object' ? options.logger : {}),
            // Fastify's request fields, with a flag trigger URL's secret (a credential in the path) masked; a
            // caller's own serializers are added to it, not put in its place.
            serializers: {
              req: (request: FastifyRequest) => ({
                method: request.method,
                url: loggedUrl(request),
                host: request.host,
                remoteAddress: request.ip,
                remotePort: request.socket?.remotePort,
              }),
              ...(typeof options.logger === 'object' ? (options.logger as { serializers?: Record<string, unknown> }).serializers : {}),
            },
          },
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    genReqId: () => crypto.randomUUID(),
    // The edge answers LaunchDarkly's 503 itself while closing (edge.ts).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Node checks requestTimeout only every connectionsCheckingInterval (30 s by default), which would let a
    // client that trickles its headers hold a connection far past REQUEST_TIMEOUT_MS.
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.requestTimeoutMs / 4))),
    },
    clientErrorHandler,
    frameworkErrors,
    routerOptions: { ...ROUTER_OPTIONS },
    // LaunchDarkly tunnels DELETE/PATCH/PUT through POST for clients that cannot send them.
    rewriteUrl: (req) => {
      const override = req.headers['x-http-method-override'];
      if (req.method === 'POST' && typeof override === 'string' && ['PATCH', 'PUT', 'DELETE'].includes(override.toUpperCase())) {
        req.method = override.toUpperCase();
      }
      // A base URI given with a trailing slash: ldcli (its generated commands, its dev server's API client) appends
      // `/api/v2/...` to it as it is, so the path starts `//`. No route does.
      return (req.url ?? '/').replace(/^\/{2,}/, '/');
    },
  });

  const routes = recordRoutes(app);
  registerFlagGuard(guardRunningExperimentRules);
  registerFlagGuard(guardAIConfigFlags);

  // Opened after the app so they can log through it; closed (with the store) if start-up fails past here.
  let bus: ChangeBus | undefined = options.changeBus;
  let rateLimiter: RateLimiter | undefined = options.rateLimiter;
  try {
    bus ??= await openChangeBus(store, app.log);
    rateLimiter ??= await openRateLimiter(config, app.log);
  } catch (err) {
    await bus?.close();
    if (!options.store) await store.close();
    throw err;
  }
  const changeBus = bus;
  const limiter = rateLimiter;
  const authenticator = new TokenAuthenticator(store.db, changeBus);

  const deps: Deps = {
    store,
    config,
    now,
    accountId: owner.id,
    changed: (what: ChangeNotice) => changeBus.publish(what),
    bus: changeBus,
    responses: new ResponseCache(changeBus),
    catalog: new Catalog(store, changeBus),
    tokenUsage: new TokenUsage(store, config.tokenUsageFlushMs),
  };

  app.setValidatorCompiler(({ schema, httpPart }) => lazyValidator(ajvFor(httpPart), schema));
  // JSON bodies with parameters (charset, LaunchDarkly's `domain-model=launchdarkly.semanticpatch`) parse as JSON.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json(\s*;.*)?$/i, { parseAs: 'string' }, parseJsonBody);
  app.addContentTypeParser('*', { parseAs: 'string' }, parseOtherBody);

  let operations: Operations | undefined;
  const ipAllowlist = new IpAllowlistGuard(store.db, changeBus);
  // Every request a token authenticates is a use of it (Token.lastUsed); no await when the answer was cached.
  const noteUse = (actor: Actor | undefined) => {
    if (actor) deps.tokenUsage.note(actor.tokenId, now());
    return actor;
  };
  installEdge(app, {
    authenticate: (token) => {
      const found = authenticator.authenticate(token);
      return found instanceof Promise ? found.then(noteUse) : noteUse(found);
    },
    checkAddress: (address) => ipAllowlist.check(address),
    authorizePolicy: (actor, request) => authorizeCustomRole(store.db, deps.catalog, actor, request),
    rateLimiter: limiter,
    now,
    onRateLimited: () => operations?.rateLimited(),
  });
  operations = installOperations(app, {
    store,
    changeBusLive: changeBus instanceof PgChangeBus ? () => changeBus.live : undefined,
    changeBusDrops: changeBus instanceof PgChangeBus ? () => changeBus.drops : undefined,
    rateLimitFailOpen: limiter instanceof RedisRateLimiter ? () => limiter.failOpen : undefined,
    // The streams are made with the routes, below; the gauge reads them when scraped.
    sdkStreams: () => (app.hasDecorator('sdkStreams') ? app.sdkStreams.connections : 0),
  });
  // A write's response leaves only once its change notice has reached PostgreSQL, so a client that turns to
  // another instance right away finds that instance's caches already emptied.
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done(null, payload);
    changeBus.flush().then(
      () => done(null, payload),
      () => done(null, payload),
    );
  });
  endSilentConnectionsOnClose(app);
  if (options.observeResponse) {
    const observe = options.observeResponse;
    app.addHook('onSend', async (request, reply, payload) => {
      observe(request, reply, payload);
      return payload;
    });
  }
  registerRoutes(app, deps);
  app.addHook('onClose', async () => {
    await deps.tokenUsage.close().catch((err: unknown) => app.log.warn({ err }, 'could not write the access tokens\' last uses'));
    await changeBus.close();
    await limiter.close?.();
    await store.close();
  });
  return { app, deps, store, bus: changeBus, rateLimiter: limiter, operations, generatedAdminToken, routes };
}
