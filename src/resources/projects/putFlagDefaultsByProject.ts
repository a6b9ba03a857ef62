// PUT /api/v2/projects/{projectKey}/flag-defaults — replace the project's flag defaults with a whole UpsertFlagDefaultsPayload (admin).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { saveFlagDefaults, UpsertFlagDefaultsPayload, type FlagDefaults } from './flagDefaults.js';

export function putFlagDefaultsByProject(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: { projectKey: string }; Body: FlagDefaults }>(
    '/api/v2/projects/:projectKey/flag-defaults',
    { schema: { body: UpsertFlagDefaultsPayload } },
    async (request) => saveFlagDefaults(deps, { actor: request.actor, projectKey: request.params.projectKey, next: () => request.body, delta: request.body }),
  );
}
