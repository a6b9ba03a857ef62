// The client-side SDKs' routes (by the environment's client-side ID, from browsers: CORS is open) and the mobile
// SDKs' (by its mobile key): each flag's value for a context, polled (/sdk/evalx, /msdk/evalx) or streamed (/eval,
// /meval), by GET with the context base64url-encoded in the path or by REPORT with it as the body; their events.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../http/context.js';
import type { Context } from '../resources/contexts/context.js';
import { answerPolled } from './polled.js';
import { goalsOf } from './goals.js';
import { postEvents } from './postEvents.js';
import type { SdkRouteOptions } from './routes.js';
import {
  checkedContext,
  checkSecureMode,
  clientEnvironmentOf,
  clientIdAuthentication,
  CORS_HEADERS,
  decodeContext,
  clientDataFor,
  evaluateForClient,
  loadClientData,
  mobileKeyAuthentication,
  wantsReasons,
  withCors,
} from './clientSide.js';
import type { ClientStreams } from './clientStreams.js';
import { startEventStream } from './sse.js';
import type { ApplicationSightings } from '../resources/applications/sightings.js';
import { countConnection } from '../resources/usage/sdkRequest.js';
import type { KeyMemory } from '../resources/usage/record.js';
import type { EvaluatedKindsMemory } from './evaluatedKinds.js';

/** The context of a request: its `:context` path segment, or the REPORT body; checked against secure mode. */
function contextOf(request: FastifyRequest): Context {
  const encoded = (request.params as { context?: string }).context;
  const context = encoded !== undefined ? decodeContext(encoded) : checkedContext(request.body);
  checkSecureMode(clientEnvironmentOf(request), context, (request.query as Record<string, unknown>).h);
  return context;
}

export function registerClientRoutes(app: FastifyInstance, deps: Deps, streams: ClientStreams, sightings: ApplicationSightings, usageKeys: KeyMemory, evaluatedKinds: EvaluatedKindsMemory): void {
  if (!app.supportedMethods.includes('REPORT')) app.addHttpMethod('REPORT', { hasBody: true });
  const db = deps.store.db;
  // Browsers see the answers whatever they are (a 404 included), so the CORS headers go on before the check.
  const cors = async (_request: FastifyRequest, reply: FastifyReply) => {
    withCors(reply);
  };
  const client: SdkRouteOptions = { config: { sdkKey: true }, onRequest: [cors, clientIdAuthentication(db), sightings.onRequest] };
  const mobile: SdkRouteOptions = { config: { sdkKey: true }, onRequest: [mobileKeyAuthentication(db, deps.now), sightings.onRequest] };

  const poll = async (request: FastifyRequest, reply: FastifyReply) => {
    const environment = clientEnvironmentOf(request);
    const context = contextOf(request);
    const flags = evaluateForClient(await clientDataFor(db, await loadClientData(db, environment), context), context, wantsReasons(request));
    return answerPolled(request, reply, environment.id, JSON.stringify(flags));
  };
  const stream = async (request: FastifyRequest, reply: FastifyReply) => {
    const environment = clientEnvironmentOf(request);
    const context = contextOf(request);
    startEventStream(request, reply);
    countConnection(request, reply, environment.id);
    try {
      await streams.open(environment, context, wantsReasons(request), reply.raw);
    } catch (err) {
      request.log.warn({ err }, 'could not read flags for a client-side SDK stream');
      reply.raw.destroy();
    }
  };

  app.get('/sdk/evalx/:envId/contexts/:context', client, poll);
  app.route({ method: 'REPORT', url: '/sdk/evalx/:envId/context', ...client, handler: poll });
  app.get('/msdk/evalx/contexts/:context', mobile, poll);
  app.route({ method: 'REPORT', url: '/msdk/evalx/context', ...mobile, handler: poll });
  app.get('/eval/:envId/:context', { ...client, exposeHeadRoute: false }, stream);
  app.route({ method: 'REPORT', url: '/eval/:envId', ...client, handler: stream });
  app.get('/meval/:context', { ...mobile, exposeHeadRoute: false }, stream);
  app.route({ method: 'REPORT', url: '/meval', ...mobile, handler: stream });
  // The older stream (browsers that cannot send REPORT from an EventSource use it with useReport): a `ping` per
  // change, after which the SDK polls.
  const ping = async (request: FastifyRequest, reply: FastifyReply) => {
    startEventStream(request, reply);
    countConnection(request, reply, clientEnvironmentOf(request).id);
    streams.openPing(clientEnvironmentOf(request), reply.raw);
  };
  app.get('/ping/:envId', { ...client, exposeHeadRoute: false }, ping);
  app.get('/mping', { ...mobile, exposeHeadRoute: false }, ping);
  // Click and page-view goals (the browser SDK asks for them): the project's page-view and click metrics.
  app.get('/sdk/goals/:envId', client, async (request, reply) =>
    reply.type('application/json; charset=utf-8').send(JSON.stringify(await goalsOf(deps.store.db, clientEnvironmentOf(request).projectId))),
  );

  postEvents(app, deps, client, sightings, usageKeys, evaluatedKinds, { bulk: ['/events/bulk/:envId'], diagnostic: ['/events/diagnostic/:envId'] });
  postEvents(app, deps, mobile, sightings, usageKeys, evaluatedKinds, { bulk: ['/mobile/events/bulk', '/mobile/events', '/mobile'], diagnostic: ['/mobile/events/diagnostic'] });

  // Browsers ask before sending the SDKs' own headers (a preflight); the answer needs no credential.
  for (const url of ['/sdk/evalx/:envId/contexts/:context', '/sdk/evalx/:envId/context', '/eval/:envId/:context', '/eval/:envId', '/ping/:envId', '/sdk/goals/:envId', '/events/bulk/:envId', '/events/diagnostic/:envId']) {
    app.options(url, { config: { public: true } }, async (_request, reply) => reply.code(204).headers(CORS_HEADERS).send());
  }
}
