// GET /api/v2/projects/{projectKey}/release-pipelines/{pipelineKey} (beta) — one release pipeline.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { defaultPipelineKey, environmentsByKey, findPipeline, PIPELINE_PATH, type PipelineParams } from './model.js';
import { representPipeline } from './represent.js';

export function getReleasePipelineByKey(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: PipelineParams }>(PIPELINE_PATH, { config: { beta: true } }, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const row = await findPipeline(db, project, request.params.pipelineKey);
    return representPipeline(project.key, row, defaultPipelineKey(project), await environmentsByKey(db, project.id));
  });
}
