// GET /api/v2/projects/{projectKey}/views/{viewKey}/linked/{resourceType} (beta) — the flags, segments or AI Configs
// linked to a view, oldest link first (or by name; `-` for descending), pages of 20 by default. `query` keeps those whose key
// (and name, when expanded) holds the text, without case; `filter` those the flag list's or the segment list's filter
// picks (segments: in the environment `environmentId` names). `expand=resourceDetails` adds each one's summary,
// `maintainer` a flag's maintainer in it. An AI Config is linked as its flag: type `aiConfigs` lists those linked flags
// that are AI Configs' (as AI Configs), and type `flags` leaves them out, as the flags list does; a filter is taken
// for flags and segments only (as the spec says).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound, validationFailed } from '../../http/errors.js';
import { parseSort, queryText } from '../../http/filter.js';
import { pageLinks, readKnownExpand, readPage } from '../../http/links.js';
import { compareText } from '../../store/reads.js';
import { flagFilter } from '../flags/listFilter.js';
import { segmentFilter } from '../segments/listFilter.js';
import { linkedAIConfigs, linkedFlags, linkedSegments, readResourceType, type LinkedAIConfig, type LinkedFlag, type LinkedSegment } from './linked.js';
import { findView, loadMaintainers } from './model.js';
import { LINKED_EXPANDS, representExpandedAIConfig, representExpandedFlag, representLinkedAIConfig, representExpandedSegment, representLinkedFlag, representLinkedSegment, viewPath } from './represent.js';

type Linked = LinkedFlag | LinkedSegment | LinkedAIConfig;

export function getLinkedResources(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; viewKey: string; resourceType: string }; Querystring: Record<string, unknown> }>(
    '/api/v2/projects/:projectKey/views/:viewKey/linked/:resourceType',
    { config: { beta: true } },
    async (request) => {
      const type = readResourceType(request.params.resourceType);
      const query = request.query;
      const page = readPage(query, 20);
      const sort = parseSort(query.sort, ['linkedAt', 'name'], 'linkedAt');
      const expand = readKnownExpand(query, LINKED_EXPANDS);
      const details = expand.has('resourceDetails');
      const text = queryText(query.query)?.toLowerCase();
      const filter = queryText(query.filter);
      const environmentId = queryText(query.environmentId);
      // Each filter is read before anything is looked up: a malformed one is a 400 whatever the view.
      const keepFlag = filter !== undefined && type === 'flags' ? flagFilter(filter) : undefined;
      const keepSegment = filter !== undefined && type === 'segments' ? segmentFilter(filter) : undefined;
      if (filter !== undefined && type === 'aiConfigs') throw validationFailed([{ attribute: 'filter', reason: 'is taken for flags and segments only' }]);
      if (keepSegment && environmentId === undefined) throw validationFailed([{ attribute: 'environmentId', reason: 'is required with a filter for segments: it names the environment whose segments the filter picks' }]);

      const project = await deps.catalog.project(request.params.projectKey);
      const db = deps.store.db;
      const view = await findView(db, project, request.params.viewKey);
      if (environmentId !== undefined && type === 'segments') {
        const environment = await db.selectFrom('environments').select('id').where('project_id', '=', project.id).where('id', '=', environmentId).executeTakeFirst();
        if (!environment) throw notFound(`Environment "${environmentId}" in project "${project.key}"`);
      }

      let listed: Linked[] = [];
      if (type === 'flags') listed = (await linkedFlags(db, [view.id], true)).filter((flag) => !keepFlag || keepFlag({ row: flag, doc: flag.doc! }));
      if (type === 'aiConfigs') listed = await linkedAIConfigs(db, [view.id], details);
      if (type === 'segments') {
        listed = (await linkedSegments(db, [view.id], true))
          .filter((segment) => environmentId === undefined || segment.environmentId === environmentId)
          .filter((segment) => !keepSegment || keepSegment({ row: segment, doc: segment.doc! }));
      }
      if (text !== undefined) listed = listed.filter((item) => item.key.toLowerCase().includes(text) || (details && item.name.toLowerCase().includes(text)));
      if (sort.field === 'name') listed.sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.key, b.key));
      if (sort.descending) listed.reverse();

      const shown = listed.slice(page.offset, page.offset + page.limit);
      const maintainers = details && expand.has('maintainer') && type === 'flags' ? await loadMaintainers(db, (shown as LinkedFlag[]).map((item) => item.doc!)) : undefined;
      const items = shown.map((item) => {
        if (type === 'aiConfigs') return representLinkedAIConfig(project.key, view.key, item, details ? representExpandedAIConfig(project.key, item as LinkedAIConfig) : undefined);
        return 'environmentId' in item
          ? representLinkedSegment(project.key, view.key, item, details ? representExpandedSegment(project.key, item) : undefined)
          : representLinkedFlag(project.key, view.key, item, details ? representExpandedFlag(project.key, item as LinkedFlag, maintainers) : undefined);
      });
      return {
        _links: pageLinks(`${viewPath(project.key, view.key)}/linked/${type}`, page, listed.length, {
          sort: queryText(query.sort),
          query: queryText(query.query),
          filter,
          environmentId,
          expand: expand.size > 0 ? [...expand].join(',') : undefined,
        }),
        items,
        totalCount: listed.length,
      };
    },
  );
}
