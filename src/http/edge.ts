// The edge every route shares: error bodies, 404/405, auth and roles, LD-API-Version, rate limits, CORS, headers.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { ApiError, forbidden, methodNotAllowed, notFound, rateLimited, unauthorized, validationFailed } from './errors.js';
import { roleAllows, type Actor, type Role } from './context.js';
import type { RateLimiter } from './rateLimit.js';
import { toFieldErrors } from './validation.js';

export interface EdgeOptions {
  authenticate: (token: string) => Promise<Actor | undefined> | Actor | undefined;
  rateLimiter: RateLimiter;
  now: () => number;
  onRateLimited?: () => void;
}

/** The API versions LaunchDarkly still answers; anything else is a 400. */
export const API_VERSIONS = ['20240415', '20220603', '20210729', '20191212', '20160426', 'beta'];
export const CURRENT_API_VERSION = 20240415;

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
      return new ApiError(400, 'invalid_request', `Invalid request body: the body is not valid JSON (${fe.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'\s*/, '') || 'parse error'})`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'invalid_request', 'Invalid request body: the body is empty but Content-Type is application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'request_entity_too_large', 'Request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(400, 'invalid_request', 'Invalid request body: Content-Type must be application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'invalid_request', 'Invalid request body: Content-Length does not match the body');
    default:
      break;
  }
  if (isDatabaseUnavailable(err)) {
    return new ApiError(503, 'service_unavailable', 'The database is unreachable or has no free connection; retry shortly');
  }
  // Fastify and secure-json-parse report client faults with a 4xx statusCode (e.g. __proto__ in a body).
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const message = /prototype/i.test(fe.message) ? 'Invalid request body: forbidden property name (__proto__ or constructor.prototype)' : fe.message;
    return new ApiError(fe.statusCode, statusCode(fe.statusCode), message);
  }
  return new ApiError(500, 'internal_server_error', 'An unexpected error occurred; quote the id when reporting it');
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
  // Every registered route also goes into a second router, so an unmatched request can tell 405 from 404.
  const known = FindMyWay();
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
    return reply.code(apiError.statusCode).send(apiError.body());
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      if (method !== request.method && known.find(method as never, path)) {
        return reply.code(405).send(methodNotAllowed().body());
      }
    }
    return reply.code(404).send(notFound().body());
  });

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Vary', 'Origin');
      reply.header('Access-Control-Allow-Methods', CORS_METHODS);
      reply.header('Access-Control-Allow-Headers', CORS_HEADERS);
      reply.header('Access-Control-Expose-Headers', 'X-Ratelimit-Global-Remaining, X-Ratelimit-Route-Remaining, X-Ratelimit-Reset, Retry-After');
      reply.header('Access-Control-Max-Age', '300');
    }
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cache-Control', 'no-store');
    reply.header('Referrer-Policy', 'no-referrer');

    const config = request.routeOptions.config;
    if (!config || config.public || request.method === 'OPTIONS' || request.routeOptions.url === undefined) return;

    const version = request.headers['ld-api-version'];
    const apiVersion = Array.isArray(version) ? version[0] : version;
    if (apiVersion !== undefined && !API_VERSIONS.includes(apiVersion.trim())) {
      throw new ApiError(400, 'invalid_request', `LD-API-Version: unknown API version "${apiVersion}"; use one of ${API_VERSIONS.join(', ')}`);
    }

    const token = tokenFrom(request.headers.authorization);
    const actor = token ? await options.authenticate(token) : undefined;
    if (!actor) throw unauthorized();
    request.actor = actor;
    request.apiVersion = apiVersion?.trim() || String(actor.defaultApiVersion);

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

    if (!roleAllows(actor.role, requiredRole(request))) {
      throw forbidden(`Forbidden. A ${actor.role} token cannot ${request.method} ${request.routeOptions.url}; it needs the ${requiredRole(request)} role`);
    }
    if (config.beta && request.apiVersion !== 'beta') {
      throw forbidden('Forbidden. This is a beta resource: send the header LD-API-Version: beta');
    }
  });

  // Preflight: answered for any path, before authentication, as browsers send no credentials on it.
  app.options('/*', { config: { public: true } }, async (_request, reply: FastifyReply) => reply.code(204).send());
}
