// GET /api/v2/users/{projectKey}/{environmentKey}/{userKey}/flags/{featureFlagKey} — one flag's value for a user, and
// the user's own setting of it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { userFlagSettings, type UserParams } from './userSettings.js';

export function getUserFlagSetting(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: UserParams & { featureFlagKey: string } }>('/api/v2/users/:projectKey/:environmentKey/:userKey/flags/:featureFlagKey', async (request) => {
    const { items } = await userFlagSettings(deps, request.params, request.params.featureFlagKey);
    return items.get(request.params.featureFlagKey);
  });
}
