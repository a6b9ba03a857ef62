// The SDK an SDK request comes from, for account usage: its kind from the credential the route checked (the mobile
// key's routes, the client-side ID's, else the SDK key's), its name and version from its user agent.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { applicationIdOf } from '../contexts/instances.js';
import { sdkIdentityOf, type SdkIdentity, type SdkKind } from './tally.js';

export function sdkKindOf(request: FastifyRequest): SdkKind {
  const client = request.clientEnvironment;
  if (!client) return 'server';
  return client.kind === 'mobile' ? 'mobile' : 'browser';
}

export function sdkOfRequest(request: FastifyRequest): SdkIdentity {
  return sdkIdentityOf(request.headers, sdkKindOf(request), applicationIdOf(request.headers));
}

/** Counts the request's stream (opened now) until its connection closes. */
export function countConnection(request: FastifyRequest, reply: FastifyReply, environmentId: string): void {
  const sdk = sdkOfRequest(request);
  const closed = request.server.connectionUsage.opened(environmentId, sdk.type, sdk);
  reply.raw.once('close', closed);
}
