// DELETE /api/v2/projects/{projectKey}/release-pipelines/{pipelineKey} (beta) — deletes a pipeline: 204. The
// project's default pipeline cannot be deleted (make another the default first), nor one that flags are still being
// released along (complete or delete those releases first); its completed releases go with it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject } from '../projects/projects.js';
import { defaultPipelineKey, environmentsByKey, findPipeline, PIPELINE_PATH, type PipelineParams } from './model.js';
import { pipelineAudit, representPipeline } from './represent.js';

export function deleteReleasePipeline(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: PipelineParams }>(PIPELINE_PATH, { config: { beta: true } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const found = await findProject(trx, request.params.projectKey);
      // The project's default may change meanwhile (a new pipeline made default): read it with the project locked.
      await lockProject(trx, deps.store, found.id);
      const project = await findProject(trx, found.key);
      const row = await findPipeline(trx, project, request.params.pipelineKey, deps.store);
      if (defaultPipelineKey(project) === row.key) {
        throw validationFailed([{ attribute: 'pipelineKey', reason: `"${row.key}" is the project's default release pipeline, which cannot be deleted; make another pipeline the default first` }]);
      }
      const active = await trx
        .selectFrom('flag_releases')
        .innerJoin('flags', 'flags.id', 'flag_releases.flag_id')
        .select('flags.key')
        .where('flag_releases.pipeline_id', '=', row.id)
        .where('flag_releases.active', '=', 1)
        .orderBy('flags.key')
        .execute();
      if (active.length > 0) {
        const flags = active.map((r) => `"${r.key}"`).join(', ');
        throw validationFailed([{ attribute: 'pipelineKey', reason: `flags ${flags} are being released along "${row.key}"; complete or delete their releases first` }]);
      }
      await trx.deleteFrom('release_pipelines').where('id', '=', row.id).execute();
      const before = representPipeline(project.key, row, undefined, await environmentsByKey(trx, project.id));
      await recordAudit(trx, request.actor, now, pipelineAudit(project.key, row, 'deleteReleasePipeline', 'deleted', { before }));
    });
    return reply.code(204).send();
  });
}
