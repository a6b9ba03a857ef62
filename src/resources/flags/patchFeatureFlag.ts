// PATCH /api/v2/flags/{projectKey}/{featureFlagKey} — change a flag: JSON Patch, JSON merge patch or semantic patch.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam } from '../../http/filter.js';
import { commitFlagUpdate } from './commitUpdate.js';
import { parseFlagUpdate } from './update.js';

export function patchFeatureFlag(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; featureFlagKey: string } }>('/api/v2/flags/:projectKey/:featureFlagKey', async (request) => {
    const query = request.query as Record<string, unknown>;
    const dryRun = parseBooleanParam(query.dryRun, 'dryRun') ?? false;
    parseBooleanParam(query.ignoreConflicts, 'ignoreConflicts');
    const update = parseFlagUpdate(request.body, request.headers['content-type']);
    const project = await deps.catalog.project(request.params.projectKey);
    return commitFlagUpdate(deps, { project, flagKey: request.params.featureFlagKey, update, actor: request.actor, dryRun, requireApproval: true });
  });
}
