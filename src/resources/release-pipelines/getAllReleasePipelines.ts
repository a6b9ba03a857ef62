// GET /api/v2/projects/{projectKey}/release-pipelines (beta) — the project's release pipelines, oldest first, in pages
// of 20: `filter=query:<text>` (key, name or description, not case-sensitive), `env:<key>` (an audience in that
// environment).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseFilter } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { defaultPipelineKey, environmentsByKey, listPipelines, pipelineDoc, PIPELINES_PATH, type PipelineRow } from './model.js';
import { pipelinesPath, representPipeline } from './represent.js';

function matches(row: PipelineRow, filter: Map<string, string>): boolean {
  const doc = pipelineDoc(row);
  const query = filter.get('query')?.toLowerCase();
  if (query !== undefined && ![row.key, doc.name, doc.description ?? ''].some((text) => text.toLowerCase().includes(query))) return false;
  const env = filter.get('env');
  return env === undefined || doc.phases.some((phase) => phase.audiences.some((audience) => audience.environmentKey === env));
}

export function getAllReleasePipelines(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(PIPELINES_PATH, { config: { beta: true } }, async (request) => {
    const db = deps.store.db;
    const page = readPage(request.query, 20);
    const filter = parseFilter(request.query.filter, ['query', 'env']);
    const project = await findProject(db, request.params.projectKey);
    const listed = (await listPipelines(db, project.id)).filter((row) => matches(row, filter));
    const environments = await environmentsByKey(db, project.id);
    const defaultKey = defaultPipelineKey(project);
    return {
      items: listed.slice(page.offset, page.offset + page.limit).map((row) => representPipeline(project.key, row, defaultKey, environments)),
      totalCount: listed.length,
      _links: pageLinks(pipelinesPath(project.key), page, listed.length, { filter: request.query.filter as string | undefined }),
    };
  });
}
