// GET /api/v2/user-attributes/{projectKey}/{environmentKey} (beta) — the attribute names of the users seen in the
// last 30 days (LaunchDarkly's "in-use attributes"): standard (built-in), custom, and private (the SDK redacted them).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { EnvironmentParams } from './listUsers.js';
import { representAttributeNames } from './represent.js';
import { allUsers } from './users.js';

const IN_USE_MS = 30 * 24 * 60 * 60 * 1000;

export function getUserAttributeNames(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: EnvironmentParams }>('/api/v2/user-attributes/:projectKey/:environmentKey', { config: { beta: true } }, async (request) => {
    const { environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const since = deps.now() - IN_USE_MS;
    return representAttributeNames((await allUsers(deps.store, environment.id)).filter((view) => view.lastSeen >= since));
  });
}
