// PUT /api/v2/projects/{projectKey}/flags/{flagKey}/release/phases/{phaseId} (beta) — moves a phase of the flag's
// release (changePhaseStatus: phases in order; Started, Paused, Complete): 200 with the release. When a phase begins,
// its audiences are released in the same transaction through the flags slice's update path (targeting.ts: the flag
// turned on and serving the release variation in each audience's environment, a new version streamed to the SDKs,
// the flag's own audit entry; refused with a 405 where the environment's approval settings require approval, as a
// PATCH would be). `audiences` completes their configuration, and is taken only as the phase begins.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { jsonPatchUpdate, type FlagUpdate } from '../flags/update.js';
import { findMember } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { environmentsByKey } from '../release-pipelines/model.js';
import { changePhaseStatus, configureAudiences, findRelease, PROJECT_FLAG_RELEASE_PATH, releaseDoc, saveRelease, UpdatePhaseStatusInput, type ReleaseParams } from './model.js';
import { completedBy, releaseAudit, representRelease } from './represent.js';
import { phaseTargeting, type PhaseTargeting } from './targeting.js';

export function updatePhaseStatus(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: ReleaseParams & { phaseId: string }; Body: UpdatePhaseStatusInput }>(
    `${PROJECT_FLAG_RELEASE_PATH}/phases/:phaseId`,
    { config: { beta: true }, schema: { body: UpdatePhaseStatusInput } },
    async (request) => {
      const body = request.body;
      const { phaseId } = request.params;
      const now = deps.now();
      const project = await findProject(deps.store.db, request.params.projectKey);
      let rep: Record<string, unknown> = {};
      let targeting: PhaseTargeting = { ops: [], environmentKeys: [] };
      let begun = '';
      // The patch is known once the release is read with the flag locked (inside, below), before the update applies it.
      const update: FlagUpdate = {
        comment: undefined,
        get delta() {
          return targeting.ops;
        },
        apply: (view, context) => jsonPatchUpdate(targeting.ops, undefined).apply(view, context),
      };
      await commitFlagUpdate(deps, {
        project: { id: project.id, key: project.key },
        flagKey: request.params.flagKey,
        update,
        actor: request.actor,
        requireApproval: true,
        inside: async (trx, flag) => {
          const row = await findRelease(trx, { id: flag.row.id, key: flag.row.key }, deps.store);
          const old = releaseDoc(row);
          if (old.isLegacy) {
            throw validationFailed([{ attribute: 'status', reason: `the release pipeline "${old.pipelineKey}" is a legacy pipeline: mark its phases complete with PATCH /api/v2/flags/${project.key}/${flag.row.key}/release` }]);
          }
          const by = body.status === 'Complete' && request.actor ? completedBy(request.actor, await findMember(trx, request.actor.memberId)) : undefined;
          const change = changePhaseStatus(old, phaseId, body.status, now, by);
          const phase = change.doc.phases.find((p) => p.id === phaseId)!;
          if (body.audiences !== undefined) {
            if (!change.begun) throw validationFailed([{ attribute: 'audiences', reason: `are taken only as a phase begins; phase "${phase.name}" has already begun or is not starting` }]);
            configureAudiences(phase, body.audiences);
          }
          const environments = await environmentsByKey(trx, project.id);
          if (!change.changed) {
            rep = representRelease(project.key, flag.row.key, row, environments);
            return false;
          }
          if (change.begun) {
            const variation = flag.doc.variations.findIndex((v) => v._id === old.releaseVariationId);
            if (variation < 0) throw validationFailed([{ attribute: 'releaseVariationId', reason: `flag "${flag.row.key}" no longer has the release variation "${old.releaseVariationId}"; add the flag to the pipeline again` }]);
            const flagEnvironments = new Set([...environments.values()].filter((env) => flag.configs.has(env.id)).map((env) => env.key));
            targeting = phaseTargeting(phase, variation, old.name, flagEnvironments);
            begun = `phase "${phase.name}" of ${old.name} began`;
          }
          const before = representRelease(project.key, flag.row.key, row, environments);
          const next = await saveRelease(trx, row, change.doc);
          rep = representRelease(project.key, flag.row.key, next, environments);
          const description = `set phase "${phase.name}" of the release of the flag ${flag.doc.name} to ${body.status}`;
          await recordAudit(trx, request.actor, now, releaseAudit(project.key, { key: flag.row.key, name: flag.doc.name }, 'updateReleasePhaseStatus', description, { delta: body, before, after: rep }));
          return targeting.ops.length > 0;
        },
        audit: (doc, environmentKeys) => ({
          resource: `proj/${project.key}:env/${environmentKeys.length === 1 ? environmentKeys[0] : '*'}:flag/${request.params.flagKey}`,
          action: 'updateFlag',
          description: `released the flag ${doc.name} in ${environmentKeys.join(', ')}: ${begun}`,
        }),
      });
      return rep;
    },
  );
}
