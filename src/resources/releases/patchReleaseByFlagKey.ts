// PATCH /api/v2/flags/{projectKey}/{flagKey}/release (beta) — marks phases of a legacy pipeline's release complete or
// incomplete: a JSON Patch (bare or `{comment, patch}`) of `replace` operations on `/phases/<index>/complete`
// (LaunchDarkly's description also writes `/phase/<index>/complete`: both are taken), applied in order. Releases of
// other pipelines move with updatePhaseStatus. 200 with the release; one audit entry when it changed.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { checkOperations, type PatchOperation } from '../../http/patch/jsonPatch.js';
import { readPatchBody } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { lockFlag } from '../flags/model.js';
import { findMember } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { environmentsByKey } from '../release-pipelines/model.js';
import { FLAG_RELEASE_PATH, findRelease, markPhaseComplete, releaseDoc, saveRelease, type ReleaseParams } from './model.js';
import { completedBy, releaseAudit, representRelease } from './represent.js';

const COMPLETE_PATH = /^\/phases?\/(0|[1-9]\d{0,5})\/complete$/;

/** The operations as (phase index, complete) pairs; anything else is a 400 naming the operation. */
function readOperations(body: unknown): { ops: PatchOperation[]; marks: { index: number; value: boolean }[]; comment: string | undefined } {
  const { ops, comment } = readPatchBody(body);
  const problems = checkOperations(ops);
  if (problems.length > 0) throw validationFailed(problems.map((p) => ({ attribute: p.index < 0 ? 'body' : `patch[${p.index}]`, reason: p.reason })));
  const marks = (ops as PatchOperation[]).map((op, i) => {
    const match = COMPLETE_PATH.exec(op.path);
    if ((op.op !== 'replace' && op.op !== 'add') || !match) {
      throw validationFailed([{ attribute: `patch[${i}]`, reason: 'only {"op": "replace", "path": "/phases/<index>/complete", "value": true or false} may change a release' }]);
    }
    if (typeof op.value !== 'boolean') throw validationFailed([{ attribute: `patch[${i}].value`, reason: 'must be true or false' }]);
    return { index: Number(match[1]), value: op.value };
  });
  return { ops: ops as PatchOperation[], marks, comment };
}

export function patchReleaseByFlagKey(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: ReleaseParams }>(FLAG_RELEASE_PATH, { config: { beta: true } }, async (request) => {
    const { ops, marks, comment } = readOperations(request.body);
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const flag = await lockFlag(trx, deps.store, project, request.params.flagKey);
      const row = await findRelease(trx, { id: flag.row.id, key: flag.row.key }, deps.store);
      const environments = await environmentsByKey(trx, project.id);
      const before = representRelease(project.key, flag.row.key, row, environments);
      let doc = releaseDoc(row);
      if (!doc.isLegacy) {
        throw validationFailed([{ attribute: 'patch', reason: `the release pipeline "${doc.pipelineKey}" is not a legacy pipeline: move its phases with PUT /api/v2/projects/${project.key}/flags/${flag.row.key}/release/phases/{phaseId}` }]);
      }
      const by = completedBy(request.actor, request.actor ? await findMember(trx, request.actor.memberId) : undefined);
      let changed = false;
      marks.forEach((mark, i) => {
        const result = markPhaseComplete(doc, mark.index, mark.value, now, by, `patch[${i}].path`);
        doc = result.doc;
        changed ||= result.changed;
      });
      if (!changed) return before;
      const next = await saveRelease(trx, row, doc);
      const after = representRelease(project.key, flag.row.key, next, environments);
      const description = `updated the release of the flag ${flag.doc.name} along ${doc.name}`;
      await recordAudit(trx, request.actor, now, releaseAudit(project.key, { key: flag.row.key, name: flag.doc.name }, 'updateReleasePhaseStatus', description, { ...(comment !== undefined ? { comment } : {}), delta: ops, before, after }));
      return after;
    });
  });
}
