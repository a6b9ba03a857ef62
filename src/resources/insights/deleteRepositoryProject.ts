// DELETE /api/v2/engineering-insights/repositories/{repositoryKey}/projects/{projectKey} (beta) — removes a
// repository's association with a project: 204; 404 naming the repository, the project or the association missing.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { repositoryProjectAudit } from './repositories.js';

export function deleteRepositoryProject(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { repositoryKey: string; projectKey: string } }>('/api/v2/engineering-insights/repositories/:repositoryKey/projects/:projectKey', { config: { beta: true, validationErrors: true } }, async (request, reply) => {
    const { repositoryKey, projectKey } = request.params;
    const project = await deps.catalog.project(projectKey);
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const repository = await trx.selectFrom('code_ref_repositories').select('name').where('name', '=', repositoryKey).executeTakeFirst();
      if (!repository) throw notFound(`Repository "${repositoryKey}"`);
      const removed = await trx.deleteFrom('insight_repository_projects').where('repository_key', '=', repositoryKey).where('project_id', '=', project.id).executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) throw notFound(`Association of repository "${repositoryKey}" with project "${projectKey}"`);
      await recordAudit(trx, request.actor, now, repositoryProjectAudit(repositoryKey, project.key, 'removeRepositoryProject'));
    });
    return reply.code(204).send();
  });
}
