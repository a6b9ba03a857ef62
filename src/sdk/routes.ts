// The SDK data plane: what the server-side SDKs call, authenticated by an environment's SDK key, not an access token.
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { Deps } from '../http/context.js';
import { sdkAuthentication } from './auth.js';
import { pollItems } from './pollItems.js';
import { pollLatestAll } from './pollLatestAll.js';
import { pollPayload } from './pollPayload.js';
import { ChangeCache } from '../store/changes.js';
import { postEvents } from './postEvents.js';
import { affectsServed, SdkStreams } from './streams.js';
import { EventRetention } from './eventRetention.js';
import { streamAll } from './streamAll.js';
import { streamPayload } from './streamPayload.js';
import { registerClientRoutes } from './clientRoutes.js';
import { ClientStreams } from './clientStreams.js';
import { RelayStreams } from './relayStreams.js';
import { streamRelayAutoConfig } from './streamRelayAutoConfig.js';
import { ApplicationSightings } from '../resources/applications/sightings.js';
import { ConnectionUsage } from '../resources/usage/connections.js';
import { KeyMemory } from '../resources/usage/record.js';
import { EvaluatedKindsMemory } from './evaluatedKinds.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The SDKs' open streams (operations and tests count them). */
    sdkStreams: SdkStreams;
    /** The client-side and mobile SDKs' open streams. */
    clientStreams: ClientStreams;
    /** The Relay Proxies' automatic configuration streams. */
    relayStreams: RelayStreams;
    /** The SDKs' streaming connections, counted for account usage. */
    connectionUsage: ConnectionUsage;
  }
}

/** What every SDK route declares: the SDK key, checked before the body is read. */
export type SdkRouteOptions = Pick<RouteShorthandOptions, 'config' | 'onRequest'>;

export function registerSdkRoutes(app: FastifyInstance, deps: Deps): SdkStreams {
  const streams = new SdkStreams(deps.store.db, deps.bus, deps.now, app.log);
  app.decorate('sdkStreams', streams);
  const clientStreams = new ClientStreams(deps.store.db, deps.bus, deps.now, app.log);
  app.decorate('clientStreams', clientStreams);
  const relayStreams = new RelayStreams(deps.store.db, deps.bus, deps.now, app.log);
  app.decorate('relayStreams', relayStreams);
  app.decorateRequest('sdkEnvironment', undefined);
  // Each environment's FDv2 state as a poll last computed it (pollPayload.ts).
  const payloadStates = new ChangeCache<string>(deps.bus, { affectedBy: affectsServed });
  const retention = new EventRetention(deps.store, deps.config.eventsRetentionDays, deps.now, app.log);
  retention.start();
  const sightings = new ApplicationSightings(deps.store, deps.bus, deps.now, app.log);
  const connectionUsage = new ConnectionUsage(deps.store, deps.now, app.log);
  app.decorate('connectionUsage', connectionUsage);
  connectionUsage.start();
  // Before the server waits for its open requests to end: a stream would never end by itself.
  app.addHook('preClose', async () => {
    streams.close();
    clientStreams.close();
    relayStreams.close();
    await retention.stop();
    await sightings.settled();
    await connectionUsage.stop();
  });
  // Once the key is checked, the application the SDK names (X-LaunchDarkly-Tags) is added if it is new.
  const route: SdkRouteOptions = { config: { sdkKey: true }, onRequest: [sdkAuthentication(deps.store.db, deps.now), sightings.onRequest] };
  streamAll(app, route, streams);
  pollLatestAll(app, deps, route);
  streamPayload(app, route, streams);
  pollPayload(app, deps, route, payloadStates);
  pollItems(app, deps, route);
  // The context keys this instance recorded today for account usage.
  const usageKeys = new KeyMemory();
  // The flags and context kinds this instance recorded as evaluated today.
  const evaluatedKinds = new EvaluatedKindsMemory();
  postEvents(app, deps, route, sightings, usageKeys, evaluatedKinds);
  registerClientRoutes(app, deps, clientStreams, sightings, usageKeys, evaluatedKinds);
  streamRelayAutoConfig(app, deps, relayStreams);
  return streams;
}
