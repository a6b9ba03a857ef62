// PUT /api/v2/projects/{projectKey}/flags/{flagKey}/release (beta) — adds a boolean flag to a release pipeline: 200
// with its release, the first phase ready to start (addFlag.ts: the rules for a flag that already has one).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { lockFlag } from '../flags/model.js';
import { findProject } from '../projects/projects.js';
import { addFlagToPipeline } from './addFlag.js';
import { CreateReleaseInput, PROJECT_FLAG_RELEASE_PATH, type ReleaseParams } from './model.js';

export function createReleaseForFlag(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: ReleaseParams; Body: CreateReleaseInput }>(PROJECT_FLAG_RELEASE_PATH, { config: { beta: true }, schema: { body: CreateReleaseInput } }, async (request) => {
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const flag = await lockFlag(trx, deps.store, project, request.params.flagKey);
      const { releasePipelineKey, releaseVariationId } = request.body;
      return addFlagToPipeline(trx, { project, flag, pipelineKey: releasePipelineKey, releaseVariationId, attribute: 'releasePipelineKey', actor: request.actor, now });
    });
  });
}
