// PUT /api/v2/projects/{projectKey}/flags/{flagKey}/release (beta) — adds a boolean flag to a release pipeline: 200
// with its new release, the first phase ready to start. The release variation defaults to the flag's `true`. A flag
// already released along the same pipeline with the same variation, not yet begun, is answered as it is; another
// release of the flag is replaced unless one of its phases has begun and it is not complete (delete it first).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { lockFlag } from '../flags/model.js';
import { isBooleanFlag } from '../flags/validate.js';
import { findProject } from '../projects/projects.js';
import { environmentsByKey, findPipelineByBodyKey, pipelineDoc } from '../release-pipelines/model.js';
import { CreateReleaseInput, newRelease, PROJECT_FLAG_RELEASE_PATH, releaseDoc, type ReleaseParams, type ReleaseRow } from './model.js';
import { releaseAudit, representRelease } from './represent.js';

export function createReleaseForFlag(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: ReleaseParams; Body: CreateReleaseInput }>(PROJECT_FLAG_RELEASE_PATH, { config: { beta: true }, schema: { body: CreateReleaseInput } }, async (request) => {
    const body = request.body;
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const flag = await lockFlag(trx, deps.store, project, request.params.flagKey);
      const variations = flag.doc.variations;
      if (!isBooleanFlag(variations.map((v) => v.value))) throw validationFailed([{ attribute: 'flagKey', reason: `flag "${flag.row.key}" is not a boolean flag; only boolean flags can be added to a release pipeline` }]);
      const pipeline = await findPipelineByBodyKey(trx, project, body.releasePipelineKey, 'releasePipelineKey');
      const variationId = body.releaseVariationId ?? variations.find((v) => v.value === true)!._id;
      if (!variations.some((v) => v._id === variationId)) throw validationFailed([{ attribute: 'releaseVariationId', reason: `flag "${flag.row.key}" has no variation with _id "${variationId}"` }]);
      const environments = await environmentsByKey(trx, project.id);
      const existing = await trx.selectFrom('flag_releases').selectAll().where('flag_id', '=', flag.row.id).executeTakeFirst();
      if (existing) {
        const old = releaseDoc(existing);
        const begun = existing.active === 1 && old.phases.some((phase) => phase.startedAt !== undefined || phase.status === 'Complete');
        if (existing.pipeline_id === pipeline.id && old.releaseVariationId === variationId && !begun && existing.active === 1) {
          return representRelease(project.key, flag.row.key, existing, environments);
        }
        if (begun) {
          throw validationFailed([{ attribute: 'releasePipelineKey', reason: `flag "${flag.row.key}" is being released along "${old.pipelineKey}"; complete or delete that release first` }]);
        }
        await trx.deleteFrom('flag_releases').where('id', '=', existing.id).execute();
      }
      const doc = newRelease(pipeline.key, pipelineDoc(pipeline), variationId, now);
      const row: ReleaseRow = { id: objectId(now), flag_id: flag.row.id, pipeline_id: pipeline.id, active: 1, doc: JSON.stringify(doc), created_at: now };
      await trx.insertInto('flag_releases').values(row).execute();
      const rep = representRelease(project.key, flag.row.key, row, environments);
      const flagRef = { key: flag.row.key, name: flag.doc.name };
      await recordAudit(trx, request.actor, now, releaseAudit(project.key, flagRef, 'createRelease', `added the flag ${flag.doc.name} to the release pipeline ${doc.name}`, { after: rep }));
      return rep;
    });
  });
}
