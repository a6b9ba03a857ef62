// POST /api/v2/projects/{projectKey}/release-policies (beta) — a new release policy, ranked last: 201 with it; a key in
// use is a 409.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject } from '../projects/projects.js';
import { checkedPolicy, listPolicies, POLICIES_PATH, PolicyPost, type PolicyRow } from './model.js';
import { policyAudit, representPolicy } from './represent.js';

export function PostReleasePolicy(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: PolicyPost }>(POLICIES_PATH, { config: { beta: true }, schema: { body: PolicyPost } }, async (request, reply) => {
    const { key, ...body } = request.body;
    const now = deps.now();
    const rep = await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      // Ranks are read and written by one writer at a time.
      await lockProject(trx, deps.store, project.id);
      const doc = await checkedPolicy(trx, project.id, body);
      const row: PolicyRow = { id: objectId(now), project_id: project.id, key, rank: (await listPolicies(trx, project.id)).length + 1, doc: JSON.stringify(doc), created_at: now };
      await conflictOnDuplicate(() => trx.insertInto('release_policies').values(row).execute(), `A release policy with key "${key}" already exists in project "${project.key}"`);
      const shown = representPolicy(row);
      await recordAudit(trx, request.actor, now, policyAudit(project.key, row, 'createReleasePolicy', 'created', { after: shown }));
      return shown;
    });
    return reply.code(201).send(rep);
  });
}
