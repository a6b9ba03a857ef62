// GET /api/v2/versions — the API versions iterlab answers to (ascending), the latest, and the one this request uses:
// its LD-API-Version header, else its token's default; `beta` reads as the latest, with `beta: true`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { API_VERSIONS, CURRENT_API_VERSION } from '../../http/edge.js';

const VALID = API_VERSIONS.filter((v) => v !== 'beta').map(Number).sort((a, b) => a - b);

export function getVersions(app: FastifyInstance, _deps: Deps): void {
  app.get('/api/v2/versions', async (request) => {
    const beta = request.apiVersion === 'beta';
    return {
      validVersions: VALID,
      latestVersion: CURRENT_API_VERSION,
      currentVersion: beta ? CURRENT_API_VERSION : Number(request.apiVersion),
      beta,
    };
  });
}
