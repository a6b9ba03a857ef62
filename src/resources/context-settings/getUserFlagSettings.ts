// GET /api/v2/users/{projectKey}/{environmentKey}/{userKey}/flags — each flag's value for a user, and the user's own
// setting of it (null when the user is not individually targeted).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { userFlagSettings, type UserParams } from './userSettings.js';

export function getUserFlagSettings(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: UserParams }>('/api/v2/users/:projectKey/:environmentKey/:userKey/flags', async (request) => {
    const { base, items } = await userFlagSettings(deps, request.params);
    return { items: Object.fromEntries(items), _links: { self: link(base) } };
  });
}
