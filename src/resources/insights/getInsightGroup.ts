// GET /api/v2/engineering-insights/insights/groups/{insightGroupKey} (beta) — one insight group; `expand` scores
// (with scoreMetadata) and environment. A custom role must view the group's project.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readKnownExpand } from '../../http/links.js';
import { requireProjectView, requireSomeProjectView } from './access.js';
import { findGroup, GROUP_EXPANDS, representExpandedGroup } from './groups.js';

export function getInsightGroup(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { insightGroupKey: string }; Querystring: Record<string, unknown> }>('/api/v2/engineering-insights/insights/groups/:insightGroupKey', { config: { beta: true, validationErrors: true } }, async (request) => {
    const expand = readKnownExpand(request.query, GROUP_EXPANDS);
    await requireSomeProjectView(deps, request.actor);
    const group = await findGroup(deps.store.db, request.params.insightGroupKey);
    await requireProjectView(deps, request.actor, group.row.project_id, `Insight group "${group.row.key}"`);
    return (await representExpandedGroup(deps.store.db, group, expand, deps.now())).rep;
  });
}
