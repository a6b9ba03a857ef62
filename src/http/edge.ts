// The edge every route shares: error bodies, 404/405, auth and roles, LD-API-Version, rate limits, CORS, headers.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { ApiError, forbidden, methodNotAllowed, notFound, parentGone, rateLimited, unauthorized, validationFailed } from './errors.js';
import { roleAllows, type Actor, type Role } from './context.js';
import type { Policy } from '../resources/custom-roles/policy.js';
import type { RateLimiter } from './rateLimit.js';
import { invalidBody, toFieldErrors } from './validation.js';

export interface EdgeOptions {
  authenticate: (token: string) => Promise<Actor | undefined> | Actor | undefined;
  rateLimiter: RateLimiter;
  now: () => number;
  onRateLimited?: () => void;
  /** Refuses (throws) a request authenticated by an access token from an address the account's IP allowlist excludes. */
  checkAddress?: (address: string | undefined) => Promise<void> | undefined;
  /** Decides a request of a token governed by custom or inline roles (its policy), once the body is parsed. */
  authorizePolicy?: (actor: Actor & { policy: Policy }, request: FastifyRequest) => Promise<void>;
}

/** The API versions LaunchDarkly still answers; anything else is a 400. */
export const API_VERSIONS = ['20240415', '20220603', '20210729', '20191212', '20160426', 'beta'];
export const CURRENT_API_VERSION = 20240415;

/** Shared by Fastify's router and the edge's own 404/405 router, so both match the same paths. */
export const ROUTER_OPTIONS = { ignoreTrailingSlash: true, maxParamLength: 1000 };

const CORS_METHODS = 'OPTIONS, GET, DELETE, PATCH, POST, PUT';
const CORS_HEADERS = 'Authorization, Content-Type, LD-API-Version, X-HTTP-Method-Override, User-Agent';

function statusCode(code: number): string {
  switch (code) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'request_entity_too_large';
    case 415:
      return 'invalid_request';
    case 422:
      return 'patch_failed';
    case 429:
      return 'rate_limited';
    default:
      return 'invalid_request';
  }
}

/** Turns whatever was thrown into LaunchDarkly's {code, message}; only a fault of ours is a 500. */
function toApiError(err: FastifyError | ApiError | Error): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError;
  if (fe.validation) {
    const prefix = fe.validationContext === 'body' ? '' : '';
    return validationFailed(toFieldErrors(fe.validation as never, prefix));
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return invalidBody(`the body is not valid JSON (${fe.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'\s*/, '') || 'parse error'})`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidBody('the body is empty but Content-Type is application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'request_entity_too_large', 'Request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return invalidBody('Content-Type must be application/json', 'Content-Type');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalidBody('Content-Length does not match the body', 'Content-Length');
    default:
      break;
  }
  // Fastify reports client faults with a 4xx statusCode. A body the client stopped sending fails with the request
  // stream's ECONNRESET: checked before the database, whose connection errors carry the same code.
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    if (fe.code === 'ECONNRESET') return invalidBody('was not received completely (the client stopped sending it)');
    const message = /prototype/i.test(fe.message) ? 'Invalid request body: forbidden property name (__proto__ or constructor.prototype)' : fe.message;
    return new ApiError(fe.statusCode, statusCode(fe.statusCode), message);
  }
  const gone = parentGone(err);
  if (gone) return gone;
  if (isDatabaseUnavailable(err)) {
    return new ApiError(503, 'service_unavailable', 'The database is unreachable or has no free connection; retry shortly');
  }
  return new ApiError(500, 'internal_server_error', 'An unexpected error occurred; quote the id when reporting it');
}

function setSecurityHeaders(reply: FastifyReply): void {
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Cache-Control', 'no-store');
  reply.header('Referrer-Policy', 'no-referrer');
}

/**
 * Fastify's own answers for URLs the router cannot take (bad percent-encoding, a path segment over
 * maxParamLength) in LaunchDarkly's shape: a too-long key names nothing that can exist, so it is a 404.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  setSecurityHeaders(reply);
  const error =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ApiError(404, 'not_found', `Invalid resource identifier: a path segment is longer than ${ROUTER_OPTIONS.maxParamLength} characters`)
      : err.code === 'FST_ERR_BAD_URL'
        ? new ApiError(400, 'invalid_request', 'Invalid request: the URL is not validly percent-encoded')
        : toApiError(err);
  reply.code(error.statusCode).send(error.body());
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (malformed, headers too large, too slow)
 * still get LaunchDarkly's {code, message}; then the connection is closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'request_timeout', 'The request was not received completely in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'request_header_fields_too_large', 'The request headers are larger than the server accepts']
        : [400, 'Bad Request', 'invalid_request', 'Malformed HTTP request'];
  const body = JSON.stringify({ code, message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** PostgreSQL text cannot hold NUL, and no key or filter needs it: refused in path and query alike. */
function rejectNulInUrl(request: FastifyRequest): void {
  // A NUL reaches a parameter only percent-encoded (the HTTP parser refuses a raw one): most URLs need no look.
  if (!request.url.includes('%00') && !request.url.includes('\u0000')) return;
  const sources: [string, unknown][] = [
    ...Object.entries((request.params ?? {}) as Record<string, unknown>),
    ...Object.entries((request.query ?? {}) as Record<string, unknown>),
  ];
  for (const [name, value] of sources) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.includes('\u0000'))) {
      throw validationFailed([{ attribute: name, reason: 'must not contain the NUL character (%00)' }]);
    }
  }
}

/**
 * ldcli's generated commands send each query parameter under its flag's kebab-case name (`--dry-run` as
 * `dry-run=true`, `--show-all`, `--lifecycle-state`, `--ignore-conflicts`): such a name is read as the camelCase
 * parameter it spells (and links carry that name), unless the request sends that one too, which wins. No
 * LaunchDarkly parameter has a `-` in its name.
 */
function readKebabQueryNames(request: FastifyRequest): void {
  const url = request.url;
  const at = url.indexOf('?');
  if (at < 0 || url.indexOf('-', at) < 0) return;
  const query = request.query as Record<string, unknown>;
  for (const name of Object.keys(query)) {
    if (!name.includes('-')) continue;
    const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camel === name) continue;
    if (!(camel in query)) query[camel] = query[name];
    delete query[name];
  }
}

/** PostgreSQL refused, dropped or lost the connection, or the database is gone: the client may retry later. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300', '3D000']);

/** The pool waited DATABASE_CONNECT_TIMEOUT_MS in vain, or the database cannot be reached (see above). */
function isDatabaseUnavailable(err: Error): boolean {
  const code = (err as { code?: string }).code;
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return /timeout exceeded when trying to connect|Connection terminated (unexpectedly|due to connection timeout)/.test(err.message);
}

function requiredRole(request: FastifyRequest): Role {
  const declared = request.routeOptions.config?.role;
  if (declared) return declared;
  return request.method === 'GET' || request.method === 'HEAD' ? 'reader' : 'writer';
}

/** LaunchDarkly reads the raw token; we also tolerate `Bearer <token>`. */
export function tokenFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const bearer = /^bearer\s+(.+)$/i.exec(value);
  return (bearer ? bearer[1] : value).trim() || undefined;
}

export function installEdge(app: FastifyInstance, options: EdgeOptions): void {
  /** The actor of the token the request presents, if it is a valid one (not awaited here: it may be decided at once). */
  const presentedActor = (request: FastifyRequest): Promise<Actor | undefined> | Actor | undefined => {
    const token = tokenFrom(request.headers.authorization);
    return token ? options.authenticate(token) : undefined;
  };
  // Every registered route also goes into a second router, so an unmatched request can tell 405 from 404.
  const known = FindMyWay({ ...ROUTER_OPTIONS });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      try {
        known.on(method as never, route.url, () => {});
      } catch {
        // the same pattern registered twice (e.g. with and without trailing slash) needs no second entry
      }
    }
  });

  app.decorateRequest('actor', undefined);
  app.decorateRequest('apiVersion', '');

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const apiError = toApiError(err);
    if (apiError.statusCode === 503) {
      request.log.warn({ err }, 'database unavailable');
      return reply.code(503).send(apiError.body(request.id));
    }
    if (apiError.statusCode >= 500) {
      request.log.error({ err }, 'unexpected fault');
      return reply.code(500).send(apiError.body(request.id));
    }
    const body = apiError.body();
    if (apiError.statusCode === 400 && request.routeOptions.config?.validationErrors && body.errors === undefined) {
      body.errors = [{ attribute: /^([^\s:]+): /.exec(apiError.message)?.[1] ?? 'request', reason: apiError.message }];
    }
    return reply.code(apiError.statusCode).send(body);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0];
    // The token comes first here too: a caller without a valid one learns nothing of which API paths exist.
    if (path.startsWith('/api/') && request.method !== 'OPTIONS' && !(await presentedActor(request))) return reply.code(401).send(unauthorized().body());
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => method !== request.method && known.find(method as never, path));
    if (allowed.length > 0) {
      // RFC 9110: a 405 says which methods the resource has (HEAD with GET, OPTIONS everywhere).
      const methods = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
      return reply.code(405).header('Allow', methods.join(', ')).send(methodNotAllowed().body());
    }
    return reply.code(404).send(notFound().body());
  });

  // A request that arrives on a kept-alive connection while the server shuts down: LaunchDarkly's 503 (Fastify's own
  // return503OnClosing answers {error, statusCode} instead), and the connection closes.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    return reply.code(503).header('Connection', 'close').send({ code: 'service_unavailable', message: 'The server is shutting down; retry shortly' });
  });

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    // LaunchDarkly echoes an Origin as the allowed one, and otherwise answers with the wildcard.
    if (!origin) reply.header('Access-Control-Allow-Origin', '*');
    else {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Vary', 'Origin');
      reply.header('Access-Control-Allow-Methods', CORS_METHODS);
      reply.header('Access-Control-Allow-Headers', CORS_HEADERS);
      reply.header('Access-Control-Expose-Headers', 'X-Ratelimit-Global-Remaining, X-Ratelimit-Route-Remaining, X-Ratelimit-Reset, Retry-After');
      reply.header('Access-Control-Max-Age', '300');
    }
    setSecurityHeaders(reply);

    const config = request.routeOptions.config;
    if (!config || config.public || config.sdkKey || request.method === 'OPTIONS' || request.routeOptions.url === undefined) return;

    // Who is asking comes first: a request without a valid token is a 401 whatever else is wrong with it.
    const actor = await presentedActor(request);
    if (!actor) throw unauthorized();

    // An empty header value asks for no version in particular, as no header does.
    const version = request.headers['ld-api-version'];
    const apiVersion = (Array.isArray(version) ? version[0] : version)?.trim() || undefined;
    if (apiVersion !== undefined && !API_VERSIONS.includes(apiVersion)) {
      throw new ApiError(400, 'invalid_request', `LD-API-Version: unknown API version "${apiVersion}"; use one of ${API_VERSIONS.join(', ')}`);
    }
    // Undefined when decided at once (the allowlist cached): no await, so no turn of the microtask queue per request.
    const addressChecked = options.checkAddress?.(request.ip);
    if (addressChecked) await addressChecked;
    request.actor = actor;
    request.apiVersion = apiVersion ?? String(actor.defaultApiVersion);

    const decision = await options.rateLimiter.hit(actor.tokenId, `${request.method} ${request.routeOptions.url}`, options.now());
    if (decision.globalRemaining !== undefined) reply.header('X-Ratelimit-Global-Remaining', String(decision.globalRemaining));
    if (decision.routeRemaining !== undefined) reply.header('X-Ratelimit-Route-Remaining', String(decision.routeRemaining));
    if (decision.globalRemaining !== undefined || decision.routeRemaining !== undefined) {
      reply.header('X-Ratelimit-Reset', String(decision.resetAt));
    }
    if (decision.limited) {
      options.onRateLimited?.();
      reply.header('Retry-After', String(Math.max(1, Math.ceil((decision.resetAt - options.now()) / 1000))));
      throw rateLimited();
    }

    if (!actor.policy && !roleAllows(actor.role, requiredRole(request))) {
      throw forbidden(`Forbidden. A ${actor.role} token cannot ${request.method} ${request.routeOptions.url}; it needs the ${requiredRole(request)} role`);
    }
    if (config.beta && request.apiVersion !== 'beta') {
      throw forbidden('Forbidden. This is a beta resource: send the header LD-API-Version: beta');
    }
    rejectNulInUrl(request);
    readKebabQueryNames(request);
  });

  app.addHook('preValidation', (request, _reply, done) => {
    // An operation whose body LaunchDarkly's spec makes optional (`optionalBody`): none, an empty one labelled JSON,
    // and `null` (which ldcli's generated commands send for such an operation, whatever `--data` says) are all the
    // empty object, before any check of the body. (The body is looked at first: the route's options are built anew
    // on each read, and nearly every request has a body or none to take.)
    if ((request.body === undefined || request.body === null) && request.routeOptions.config?.optionalBody) request.body = {};

    // A custom role's actions depend on what the body changes (a flag's instructions, a patch's paths): decided here,
    // after parsing and before the route's validation, so a refused request is a 403 whatever its body.
    // A callback hook, not an async one: the requests of built-in roles (nearly all) pass without a promise.
    const actor = request.actor;
    if (!actor?.policy) return done();
    if (!options.authorizePolicy) return done(forbidden('Forbidden. This server cannot decide custom roles'));
    options.authorizePolicy(actor as Actor & { policy: Policy }, request).then(() => done(), done);
  });

  // Preflight: answered for any path, before authentication, as browsers send no credentials on it.
  app.options('/*', { config: { public: true } }, async (_request, reply: FastifyReply) => reply.code(204).send());
}
