// The table of every route the app registers (method, URL pattern, declared config), filled by an onRoute hook.
import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { FastifyContextConfig, FastifySchema } from 'fastify';

export interface RegisteredRoute {
  method: HTTPMethods;
  /** The URL pattern as registered, e.g. `/api/v2/projects/:projectKey`. */
  url: string;
  /** What the route declared: `role`, `beta`, `public`, `sdkKey`, `rawBody`, `noBody`, `optionalBody`. */
  config: Pick<FastifyContextConfig, 'role' | 'beta' | 'public' | 'sdkKey' | 'rawBody' | 'noBody' | 'optionalBody'>;
  /** The JSON Schema of the body, when the route declares one (fuzzers aim at its fields). */
  bodySchema: unknown;
  /** Every schema the route declares (body, querystring, params, headers), as given to the validator compiler. */
  schema: FastifySchema | undefined;
}

/**
 * Starts recording routes; call before any route is registered. The returned array grows as routes are
 * added (including the HEAD routes Fastify derives from GET), so suites can enumerate what is served.
 */
export function recordRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const config = (route.config ?? {}) as FastifyContextConfig;
    for (const method of methods) {
      routes.push({
        method,
        url: route.url ?? route.path,
        config: { role: config.role, beta: config.beta, public: config.public, sdkKey: config.sdkKey, rawBody: config.rawBody, noBody: config.noBody, optionalBody: config.optionalBody },
        bodySchema: route.schema?.body,
        schema: route.schema,
      });
    }
  });
  return routes;
}
