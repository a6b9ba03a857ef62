// GET /api/v2/projects/{projectKey}/view-associations/{resourceType}/{resourceKey} (beta) — the views a flag (by key),
// an AI Config (by key: the views its flag is linked to) or a segment (by key, in the environment `environmentId`
// names) is linked to, by key, pages of 20 by default. 404 names the flag, AI Config, segment or environment that is
// missing.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound, validationFailed } from '../../http/errors.js';
import { queryText } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import type { Db } from '../../store/db.js';
import { readResourceType, viewsLinking, type ResourceType } from './linked.js';
import { representViews } from './answer.js';
import { viewPlace } from './represent.js';

/** The row id of the flag, segment or AI Config's flag the path names; 404 naming what is missing. */
async function resourceId(db: Db, project: { id: string; key: string }, type: ResourceType, key: string, environmentId: string | undefined): Promise<string> {
  if (type === 'flags') {
    const flag = await db.selectFrom('flags').select('id').where('project_id', '=', project.id).where('key', '=', key).executeTakeFirst();
    if (!flag) throw notFound(`Flag "${key}" in project "${project.key}"`);
    return flag.id;
  }
  if (type === 'aiConfigs') {
    const config = await db.selectFrom('ai_configs').select('flag_id').where('project_id', '=', project.id).where('key', '=', key).executeTakeFirst();
    if (!config) throw notFound(`AI Config "${key}" in project "${project.key}"`);
    return config.flag_id;
  }
  const environment = await db.selectFrom('environments').select(['id', 'key']).where('project_id', '=', project.id).where('id', '=', environmentId!).executeTakeFirst();
  if (!environment) throw notFound(`Environment "${environmentId}" in project "${project.key}"`);
  const segment = await db.selectFrom('segments').select('id').where('environment_id', '=', environment.id).where('key', '=', key).executeTakeFirst();
  if (!segment) throw notFound(`Segment "${key}" in environment "${environment.key}" of project "${project.key}"`);
  return segment.id;
}

export function getLinkedViews(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; resourceType: string; resourceKey: string }; Querystring: Record<string, unknown> }>(
    '/api/v2/projects/:projectKey/view-associations/:resourceType/:resourceKey',
    { config: { beta: true } },
    async (request) => {
      const type = readResourceType(request.params.resourceType);
      const page = readPage(request.query, 20);
      const environmentId = queryText(request.query.environmentId);
      if (type === 'segments' && environmentId === undefined) throw validationFailed([{ attribute: 'environmentId', reason: "is required for segments: a segment is an environment's" }]);
      const project = await deps.catalog.project(request.params.projectKey);
      const db = deps.store.db;
      const id = await resourceId(db, project, type, request.params.resourceKey, environmentId);
      const views = await viewsLinking(db, type, id);
      return {
        _links: pageLinks(`/api/v2/projects/${project.key}/view-associations/${type}/${request.params.resourceKey}`, page, views.length, { environmentId }),
        items: await representViews(db, views.slice(page.offset, page.offset + page.limit), viewPlace(deps.accountId, project)),
        totalCount: views.length,
      };
    },
  );
}
