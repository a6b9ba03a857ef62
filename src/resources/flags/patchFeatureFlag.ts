// PATCH /api/v2/flags/{projectKey}/{featureFlagKey} — change a flag: JSON Patch, JSON merge patch or semantic patch.
// A JSON Patch may also add the flag to a release pipeline (`add /releasePipelineKey`, as LaunchDarkly documents), in
// the same transaction as the rest of it (not on a dry run). A semantic patch whose only instruction is `deleteFlag`
// deletes the flag as DELETE does and answers it as it was. A change that would make a pending schedule or approval
// request fail is a 400 unless `ignoreConflicts=true` (conflicts.ts).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam } from '../../http/filter.js';
import type { Trx } from '../../store/db.js';
import { addFlagToPipeline, takeReleasePipelineKey } from '../releases/addFlag.js';
import { commitFlagUpdate } from './commitUpdate.js';
import type { LoadedFlag } from './model.js';
import { deleteFlagEverywhere } from './deletion.js';
import { parseFlagUpdate, readFlagDeletion } from './update.js';

export function patchFeatureFlag(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; featureFlagKey: string } }>('/api/v2/flags/:projectKey/:featureFlagKey', async (request) => {
    const query = request.query as Record<string, unknown>;
    const dryRun = parseBooleanParam(query.dryRun, 'dryRun') ?? false;
    const ignoreConflicts = parseBooleanParam(query.ignoreConflicts, 'ignoreConflicts') ?? false;
    const deletion = readFlagDeletion(request.body, request.headers['content-type']);
    if (deletion) {
      const project = await deps.catalog.project(request.params.projectKey);
      return deleteFlagEverywhere(deps, { project, flagKey: request.params.featureFlagKey, actor: request.actor, comment: deletion.comment, dryRun, represent: true });
    }
    const { body, pipelineKey } = takeReleasePipelineKey(request.body);
    const update = parseFlagUpdate(body, request.headers['content-type']);
    const project = await deps.catalog.project(request.params.projectKey);
    const now = deps.now();
    const inside =
      pipelineKey === undefined || dryRun
        ? undefined
        : async (trx: Trx, flag: LoadedFlag) => {
            await addFlagToPipeline(trx, { project, flag, pipelineKey, attribute: 'releasePipelineKey', actor: request.actor, now });
            return true;
          };
    return commitFlagUpdate(deps, { project, flagKey: request.params.featureFlagKey, update, actor: request.actor, dryRun, requireApproval: true, refuseConflicts: !ignoreConflicts, inside });
  });
}
