// PUT /api/v2/engineering-insights/repositories/projects (beta) — associates code references repositories with
// LaunchDarkly projects: every mapping names an existing repository and project (else 404 naming it, nothing
// written); associating again changes nothing. 200 with the mappings sent. One audit entry per new association.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { recordAudit } from '../audit-log/record.js';
import { repositoryProjectAudit } from './repositories.js';

const Mapping = Type.Object({ repositoryKey: Type.String({ minLength: 1, maxLength: 256 }), projectKey: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });
const InsightsRepositoryProjectMappings = Type.Object({ mappings: Type.Array(Mapping, { maxItems: 1000 }) }, { additionalProperties: false });
type Mappings = Static<typeof InsightsRepositoryProjectMappings>;

export function associateRepositoriesAndProjects(app: FastifyInstance, deps: Deps): void {
  app.put<{ Body: Mappings }>('/api/v2/engineering-insights/repositories/projects', { config: { beta: true, validationErrors: true }, schema: { body: InsightsRepositoryProjectMappings } }, async (request) => {
    const unique = [...new Map(request.body.mappings.map((m) => [`${m.repositoryKey}\u0000${m.projectKey}`, m])).values()];
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      for (const mapping of unique) {
        const repository = await trx.selectFrom('code_ref_repositories').select('name').where('name', '=', mapping.repositoryKey).executeTakeFirst();
        if (!repository) throw notFound(`Repository "${mapping.repositoryKey}"`);
        const project = await trx.selectFrom('projects').select(['id', 'key']).where('key', '=', mapping.projectKey).executeTakeFirst();
        if (!project) throw notFound(`Project "${mapping.projectKey}"`);
        const added = await trx
          .insertInto('insight_repository_projects')
          .values({ repository_key: repository.name, project_id: project.id, created_at: now })
          .onConflict((oc) => oc.columns(['repository_key', 'project_id']).doNothing())
          .executeTakeFirst();
        if (Number(added.numInsertedOrUpdatedRows ?? 0) > 0) await recordAudit(trx, request.actor, now, repositoryProjectAudit(repository.name, project.key, 'associateRepositoryProject'));
      }
    });
    return { totalCount: unique.length, items: unique.map((m) => ({ repositoryKey: m.repositoryKey, projectKey: m.projectKey })), _links: { self: link('/api/v2/engineering-insights/repositories/projects') } };
  });
}
