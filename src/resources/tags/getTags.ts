// GET /api/v2/tags — the tags in use: on projects, environments, flags, segments and metrics, of the projects the
// caller may view; filtered by kind and prefix, archived flags' tags only when asked, paged up to 1,000.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { projectViewer } from '../custom-roles/access.js';
import { checkAsOf, readKinds, readTagged, tagsOf } from './model.js';

const MAX_LIMIT = 1000;

export function getTags(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Record<string, unknown> }>('/api/v2/tags', async (request) => {
    const query = request.query;
    const kinds = readKinds(query.kind);
    const prefix = typeof query.pre === 'string' ? query.pre : '';
    const archived = parseBooleanParam(query.archived, 'archived') ?? false;
    checkAsOf(query.asOf);
    const page = readPage(query, MAX_LIMIT, MAX_LIMIT);
    const views = await projectViewer(deps.store.db, request.actor);
    const resources = (await readTagged(deps.store.db, kinds)).filter((r) => !views || views(r.projectKey));
    const tags = tagsOf(resources, { kinds, prefix, archived });
    return {
      items: tags.slice(page.offset, page.offset + page.limit),
      totalCount: tags.length,
      _links: pageLinks('/api/v2/tags', page, tags.length, {
        ...(kinds.size > 0 ? { kind: [...kinds].join(',') } : {}),
        ...(prefix ? { pre: prefix } : {}),
        ...(archived ? { archived: 'true' } : {}),
      }),
    };
  });
}
