// DELETE /api/v2/flag-links/projects/{projectKey}/flags/{featureFlagKey}/{id} (beta) — delete a flag link by its id or
// key: 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findFlag } from '../flags/model.js';
import { findMember } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { findFlagLink, linkDoc } from './model.js';
import { linkAudit, representFlagLink } from './represent.js';

export function deleteFlagLink(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; featureFlagKey: string; id: string } }>(
    '/api/v2/flag-links/projects/:projectKey/flags/:featureFlagKey/:id',
    { config: { beta: true } },
    async (request, reply) => {
      const now = deps.now();
      await deps.store.tx(async (trx) => {
        const project = await findProject(trx, request.params.projectKey);
        const flag = await findFlag(trx, project, request.params.featureFlagKey);
        const row = await findFlagLink(trx, flag.row.id, request.params.id, deps.store);
        const memberId = linkDoc(row).memberId;
        const member = memberId ? await findMember(trx, memberId) : undefined;
        await trx.deleteFrom('flag_links').where('id', '=', row.id).execute();
        const before = representFlagLink(row, project.key, flag.row.key, member);
        await recordAudit(trx, request.actor, now, linkAudit(project.key, flag.row.key, flag.doc.name, 'deleteFlagLink', `removed a link from the flag ${flag.doc.name}`, { before }));
      });
      return reply.code(204).send();
    },
  );
}
