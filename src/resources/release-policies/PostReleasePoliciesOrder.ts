// POST /api/v2/projects/{projectKey}/release-policies/order (beta) — ranks the project's policies in the order of the
// keys sent (every policy's key, once each): 200 with the policies in their new order.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject } from '../projects/projects.js';
import { listPolicies, POLICIES_PATH, PolicyOrder, rerank, type PolicyRow } from './model.js';
import { policyResource, representPolicy } from './represent.js';

export function PostReleasePoliciesOrder(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: string[] }>(`${POLICIES_PATH}/order`, { config: { beta: true }, schema: { body: PolicyOrder } }, async (request) => {
    const keys = request.body;
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      await lockProject(trx, deps.store, project.id);
      const rows = await listPolicies(trx, project.id);
      const byKey = new Map(rows.map((row): [string, PolicyRow] => [row.key, row]));
      const errors: FieldError[] = [];
      keys.forEach((key, i) => {
        if (!byKey.has(key)) errors.push({ attribute: `body[${i}]`, reason: `there is no release policy "${key}" in this project` });
        else if (keys.indexOf(key) !== i) errors.push({ attribute: `body[${i}]`, reason: `"${key}" is already listed` });
      });
      const missing = rows.filter((row) => !keys.includes(row.key)).map((row) => `"${row.key}"`);
      if (missing.length > 0) errors.push({ attribute: 'body', reason: `must list every release policy of the project; missing ${missing.join(', ')}` });
      if (errors.length > 0) throw validationFailed(errors);
      const before = rows.map((row) => row.key);
      const ordered = await rerank(trx, keys.map((key) => byKey.get(key)!));
      if (before.some((key, i) => key !== keys[i])) {
        await recordAudit(trx, request.actor, now, {
          kind: 'releasePolicy',
          resource: policyResource(project.key, '*'),
          action: 'updateReleasePolicy',
          name: project.name,
          description: `reordered the release policies of the project ${project.name}`,
          projectKey: project.key,
          delta: keys,
          before,
          after: keys,
        });
      }
      return ordered.map(representPolicy);
    });
  });
}
