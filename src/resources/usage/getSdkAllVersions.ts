// GET /api/v2/usage/sdk-versions/all (beta) — every SDK version seen in the last day (not only each SDK's highest, as
// getSdkVersionsDetails), per environment and SDK type, from the streams SDKs opened and the events they sent; filtered
// by environmentId, projectId (ids; an unknown one is a 400), sdkName, sdkType (server or client, the types these
// answers show), sdkAppId and connectionType (`streaming` or `events` as shown; `direct` is every one, since iterlab
// sees no Relay Proxy connection as such, and `proxy` none).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { oneOf, single, type Query } from './query.js';
import { connectionTypeOf, mergeSightings, recentSightings, representSdkVersion, type Sighting } from './sdkVersions.js';

export function getSdkAllVersions(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/usage/sdk-versions/all', { config: { beta: true } }, async (request) => {
    const query = request.query;
    const environmentId = single(query, 'environmentId');
    const projectId = single(query, 'projectId');
    const sdkName = single(query, 'sdkName');
    const sdkType = oneOf(query, 'sdkType', ['server', 'client']);
    const sdkAppId = single(query, 'sdkAppId');
    const connectionType = oneOf(query, 'connectionType', ['streaming', 'events', 'direct', 'proxy']);
    const { sightings, places } = await recentSightings(deps.store.db, deps.now());
    const known = [...places.values()];
    if (projectId !== undefined && !known.some((p) => p.projectId === projectId)) throw validationFailed([{ attribute: 'projectId', reason: `no project has the id "${projectId.slice(0, 60)}"` }]);
    if (environmentId !== undefined && !places.has(environmentId)) throw validationFailed([{ attribute: 'environmentId', reason: `no environment has the id "${environmentId.slice(0, 60)}"` }]);
    const wanted = (s: Sighting) =>
      (environmentId === undefined || s.environmentId === environmentId) &&
      (projectId === undefined || places.get(s.environmentId)!.projectId === projectId) &&
      (sdkName === undefined || s.name === sdkName) &&
      (sdkType === undefined || s.type === sdkType) &&
      (sdkAppId === undefined || s.applicationId === sdkAppId) &&
      (connectionType === undefined || connectionType === 'direct' || connectionTypeOf(s) === connectionType);
    // Filtered once merged: an SDK version that streamed is `streaming`, its events-only sightings included.
    return mergeSightings(sightings, true)
      .filter(wanted)
      .map((s) => representSdkVersion(s, places.get(s.environmentId)!));
  });
}
