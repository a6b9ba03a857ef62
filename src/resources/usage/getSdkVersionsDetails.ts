// GET /api/v2/usage/sdk-versions/details (beta) — each SDK seen in the last day, per environment and SDK type (with the
// application its streams named): the highest version seen (from its streams and its events), its project and
// environment, and how it connected (`streaming` when it opened a stream, else `events`). See sdkVersions.ts.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { mergeSightings, recentSightings, representSdkVersion } from './sdkVersions.js';

export function getSdkVersionsDetails(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/usage/sdk-versions/details', { config: { beta: true } }, async () => {
    const { sightings, places } = await recentSightings(deps.store.db, deps.now());
    return mergeSightings(sightings, false).map((s) => representSdkVersion(s, places.get(s.environmentId)!));
  });
}
