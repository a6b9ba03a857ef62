// PUT /api/v2/projects/{projectKey}/release-pipelines/{pipelineKey} (beta) — replaces a pipeline's name, description,
// tags and phases: 200 with it, `_version` one more when something changed. Phases and audiences keep their ids by
// place, so that releases under way (which keep the phases they began with) still match the pipeline's.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { defaultPipelineKey, environmentsByKey, findPipeline, phasesOf, PIPELINE_FIELD_ACTIONS, PIPELINE_PATH, PipelinePut, pipelineDoc, type PipelineDoc, type PipelineParams, type PipelineRow } from './model.js';
import { pipelineAudit, representPipeline } from './represent.js';

export function putReleasePipeline(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: PipelineParams; Body: PipelinePut }>(PIPELINE_PATH, { config: { beta: true }, schema: { body: PipelinePut } }, async (request) => {
    const body = request.body;
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const row = await findPipeline(trx, project, request.params.pipelineKey, deps.store);
      const old = pipelineDoc(row);
      const environments = await environmentsByKey(trx, project.id);
      const before = representPipeline(project.key, row, defaultPipelineKey(project), environments);
      const doc: PipelineDoc = {
        ...old,
        name: body.name,
        tags: body.tags ?? [],
        phases: await phasesOf(trx, project.id, body.phases, old.phases),
      };
      if (body.description !== undefined) doc.description = body.description;
      else delete doc.description;
      const changed = (Object.keys(PIPELINE_FIELD_ACTIONS) as (keyof typeof PIPELINE_FIELD_ACTIONS)[]).find((field) => !deepEqual(doc[field], old[field]));
      if (!changed) return before;
      doc.version = old.version + 1;
      const next: PipelineRow = { ...row, doc: JSON.stringify(doc) };
      await trx.updateTable('release_pipelines').set({ doc: next.doc }).where('id', '=', row.id).execute();
      const after = representPipeline(project.key, next, defaultPipelineKey(project), environments);
      await recordAudit(trx, request.actor, now, pipelineAudit(project.key, next, PIPELINE_FIELD_ACTIONS[changed], 'updated', { delta: body, before, after }));
      return after;
    });
  });
}
