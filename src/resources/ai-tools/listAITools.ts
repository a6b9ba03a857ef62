// GET /api/v2/projects/{projectKey}/ai-tools — the project's AI tools, each as its newest version defines it:
// `filter` on key and tags (LaunchDarkly's grouped syntax), `sort` on key or createdAt (the newest version's), key order by
// default, pages of 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { filterMatches } from '../../http/filter.js';
import { findProject } from '../projects/projects.js';
import { KEY_AND_TAGS_FIELDS, keyOrTagsPass, readListFilter } from './keyFilter.js';
import { toolPage } from './listing.js';
import { projectTools, toolDoc, type ShownTool } from './model.js';
import { toolsPath } from './represent.js';


export function listAITools(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(toolsPath(':projectKey'), async (request) => {
    const filter = readListFilter(request.query.filter, KEY_AND_TAGS_FIELDS);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const tools = (await projectTools(db, project.id)).filter((item) => filterMatches(filter, item, (clause) => keyOrTagsPass(clause, item.tool.key, toolDoc(item.tool).tags)));
    const fields = { key: (item: ShownTool) => item.tool.key, createdAt: (item: ShownTool) => Number(item.version.created_at) };
    return toolPage(db, project.key, request.query, toolsPath(project.key), fields, 'key', tools, { filter: request.query.filter as string | undefined });
  });
}
