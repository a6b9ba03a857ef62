// POST /api/v2/projects/{projectKey}/views/{viewKey}/link/{resourceType} (beta) — link flags (by key), segments (by
// environment and key) or AI Configs (by key, 2026-07: each as its flag, the link `viewKeys` makes) to a view, and the
// flags or segments a filter picks (the union): 200 with how many are linked, each link, and each resource that could
// not be (one that does not exist, with the reason). A resource linked already keeps its link. One audit entry when
// something was linked.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { link, resolveResources } from './linked.js';
import { linkRoute } from './linkRoute.js';
import { linkAudit, representLinkedAIConfig, representLinkedFlag, representLinkedSegment, representLinkResult } from './represent.js';

export function linkResource(app: FastifyInstance, deps: Deps): void {
  linkRoute(app, deps, 'POST', async ({ trx, project, view, type, request, actor, now }) => {
    const { found, failed } = await resolveResources(trx, deps.store, project, type, request);
    const { linkedAt, added } = await link(trx, view, type, found, now);
    const linked = found.map((resource) => {
      const at = { key: resource.key, linkedAt: linkedAt.get(resource.id)! };
      if (type === 'aiConfigs') return representLinkedAIConfig(project.key, view.key, at);
      return type === 'flags' ? representLinkedFlag(project.key, view.key, at) : representLinkedSegment(project.key, view.key, { ...at, environmentId: resource.environmentId!, environmentKey: resource.environmentKey! });
    });
    if (added.length > 0) await recordAudit(trx, actor, now, linkAudit(project.key, view, type, true, added, request));
    return representLinkResult(found.length, failed, linked);
  });
}
