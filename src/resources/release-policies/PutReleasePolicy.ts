// PUT /api/v2/projects/{projectKey}/release-policies/{policyKey} (beta) — replaces a policy's name, method, scope and
// configuration (its key and rank stay): 200 with it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { checkedPolicy, findPolicy, policyDoc, POLICY_PATH, PolicyPut, type PolicyParams, type PolicyRow } from './model.js';
import { policyAudit, representPolicy } from './represent.js';

export function PutReleasePolicy(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: PolicyParams; Body: PolicyPut }>(POLICY_PATH, { config: { beta: true }, schema: { body: PolicyPut } }, async (request) => {
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const row = await findPolicy(trx, project, request.params.policyKey, deps.store);
      const doc = await checkedPolicy(trx, project.id, request.body);
      const before = representPolicy(row);
      if (deepEqual(doc, policyDoc(row))) return before;
      const next: PolicyRow = { ...row, doc: JSON.stringify(doc) };
      await trx.updateTable('release_policies').set({ doc: next.doc }).where('id', '=', row.id).execute();
      const after = representPolicy(next);
      await recordAudit(trx, request.actor, now, policyAudit(project.key, next, 'updateReleasePolicy', 'updated', { delta: request.body, before, after }));
      return after;
    });
  });
}
