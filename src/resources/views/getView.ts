// GET /api/v2/projects/{projectKey}/views/{viewKey} (beta) — one view, with its maintainer; `expand` adds the summaries
// and counts of the flags and segments linked to it (allFlags, allSegments, allResources: every one of them).
// LaunchDarkly documents the list's sort, filter, limit and offset here too: they are checked as the list checks them
// and change nothing (one view is answered).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readKnownExpand } from '../../http/links.js';
import { representOneView } from './answer.js';
import { readViewListQuery } from './listing.js';
import { findView } from './model.js';
import { VIEW_EXPANDS, viewPlace } from './represent.js';

export function getView(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; viewKey: string }; Querystring: Record<string, unknown> }>(
    '/api/v2/projects/:projectKey/views/:viewKey',
    { config: { beta: true } },
    async (request) => {
      const query = request.query;
      readViewListQuery(query);
      const expand = readKnownExpand(query, VIEW_EXPANDS);
      const project = await deps.catalog.project(request.params.projectKey);
      const row = await findView(deps.store.db, project, request.params.viewKey);
      return representOneView(deps.store.db, row, viewPlace(deps.accountId, project), expand);
    },
  );
}
