// PATCH /api/v2/projects/{projectKey}/flag-defaults — a JSON Patch on the project's flag defaults (admin).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { representFlagDefaults, saveFlagDefaults } from './flagDefaults.js';

const RULES = {
  writable: ['tags', 'temporary', 'booleanDefaults', 'defaultClientSideAvailability'],
  readOnly: ['_links'],
};

export function patchFlagDefaultsByProject(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey/flag-defaults', async (request) => {
    const { ops, comment } = readPatchBody(request.body);
    const projectKey = request.params.projectKey;
    return saveFlagDefaults(deps, {
      actor: request.actor,
      projectKey,
      next: (current) => {
        const patched = applyResourcePatch(representFlagDefaults(projectKey, current), ops, RULES);
        return Object.fromEntries(RULES.writable.map((field) => [field, patched[field]]));
      },
      comment,
      delta: ops,
    });
  });
}
