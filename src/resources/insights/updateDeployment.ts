// PATCH /api/v2/engineering-insights/deployments/{deploymentID} (beta) — a JSON Patch (bare or `{comment, patch}`) on a
// deployment's status (started, finished, failed: ending it now when it had not ended), archived or metadata: 200 with
// the deployment. Archiving a deployment leaves it listed (with `archived`), as LaunchDarkly shows it. One audit entry.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { applyResourcePatch, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { requireProjectView, requireSomeProjectView } from './access.js';
import { DEPLOYMENT_STATUSES, deploymentAudit, deploymentDoc, findDeployment, representDeployment, type DeploymentDoc } from './deployments.js';

const RULES = {
  writable: ['status', 'archived', 'metadata'],
  readOnly: ['id', 'applicationKey', 'applicationVersion', 'startedAt', 'endedAt', 'durationMs', 'kind', 'active', 'environmentKey', 'numberOfContributors', 'numberOfPullRequests', 'linesAdded', 'linesDeleted', 'leadTime', 'leadTimeStages', 'pullRequests', 'flagReferences'],
};

function problems(patched: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (!DEPLOYMENT_STATUSES.includes(patched.status as never)) errors.push({ attribute: 'status', reason: `must be one of ${DEPLOYMENT_STATUSES.join(', ')}` });
  if (typeof patched.archived !== 'boolean') errors.push({ attribute: 'archived', reason: 'must be a boolean' });
  const metadata = patched.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) errors.push({ attribute: 'metadata', reason: 'must be an object' });
  return errors;
}

export function updateDeployment(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { deploymentID: string } }>('/api/v2/engineering-insights/deployments/:deploymentID', { config: { beta: true, validationErrors: true } }, async (request) => {
    await requireSomeProjectView(deps, request.actor);
    const edit = readResourceEdit(request.body, RULES, 'deployment');
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const row = await findDeployment(trx, request.params.deploymentID, deps.store);
      await requireProjectView(deps, request.actor, row.project_id, `Deployment "${row.id}"`, trx);
      const before = representDeployment(row);
      const patched = applyResourcePatch(before, edit.operations(before), RULES);
      const errors = problems(patched);
      if (errors.length > 0) throw validationFailed(errors);
      const doc = deploymentDoc(row);
      const status = patched.status as string;
      const closing = status !== 'started' && row.status === 'started';
      const next: DeploymentDoc = {
        ...doc,
        archived: patched.archived as boolean,
        metadata: patched.metadata as Record<string, unknown>,
        ...(closing && doc.endedAt === undefined ? { endedAt: Math.max(now, Number(row.started_at)) } : {}),
        // A deployment that failed is no application's active one.
        ...(status === 'failed' ? { active: false } : {}),
      };
      if (status === row.status && JSON.stringify(next) === row.doc) return before;
      const updated = { ...row, status, doc: JSON.stringify(next) };
      await trx.updateTable('insight_deployments').set({ status, doc: updated.doc }).where('id', '=', row.id).execute();
      const after = representDeployment(updated);
      await recordAudit(trx, request.actor, now, {
        ...deploymentAudit(row, next, 'updateDeployment', `updated the deployment of ${row.application_key} ${row.version}`),
        ...(edit.comment !== undefined ? { comment: edit.comment } : {}),
        delta: edit.delta,
        before,
        after,
      });
      return after;
    });
  });
}
