// DELETE /api/v2/flags/{projectKey}/{flagKey}/release (beta) — removes the flag from its release pipeline: 204. The
// flag's targeting stays as the release left it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { lockFlag } from '../flags/model.js';
import { findProject } from '../projects/projects.js';
import { environmentsByKey } from '../release-pipelines/model.js';
import { FLAG_RELEASE_PATH, findRelease, releaseDoc, type ReleaseParams } from './model.js';
import { releaseAudit, representRelease } from './represent.js';

export function deleteReleaseByFlagKey(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: ReleaseParams }>(FLAG_RELEASE_PATH, { config: { beta: true } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const flag = await lockFlag(trx, deps.store, project, request.params.flagKey);
      const row = await findRelease(trx, { id: flag.row.id, key: flag.row.key }, deps.store);
      await trx.deleteFrom('flag_releases').where('id', '=', row.id).execute();
      const before = representRelease(project.key, flag.row.key, row, await environmentsByKey(trx, project.id));
      const description = `removed the flag ${flag.doc.name} from the release pipeline ${releaseDoc(row).name}`;
      await recordAudit(trx, request.actor, now, releaseAudit(project.key, { key: flag.row.key, name: flag.doc.name }, 'deleteRelease', description, { before }));
    });
    return reply.code(204).send();
  });
}
