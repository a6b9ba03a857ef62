// POST /api/v2/projects/{projectKey}/views/{viewKey}/link/{resourceType} (beta) — link flags (by key) or segments (by
// environment and key) to a view, and those a filter picks (the union): 200 with how many are linked, each link, and
// each resource that could not be (one that does not exist, with the reason). A resource linked already keeps its
// link. One audit entry when something was linked. Type `aiConfigs` links none (an AI Config is linked as its flag,
// by `viewKeys` or type `flags`): a key of one is a 404.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { link, resolveResources } from './linked.js';
import { linkRoute } from './linkRoute.js';
import { linkAudit, representLinkedFlag, representLinkedSegment, representLinkResult } from './represent.js';

export function linkResource(app: FastifyInstance, deps: Deps): void {
  linkRoute(app, deps, 'POST', async ({ trx, project, view, type, request, actor, now }) => {
    if (type === 'aiConfigs') {
      if (request.keys && request.keys.length > 0) throw notFound(`AI Config "${request.keys[0]}" in project "${project.key}"`);
      return representLinkResult(0, [], []);
    }
    const { found, failed } = await resolveResources(trx, deps.store, project, type, request);
    const { linkedAt, added } = await link(trx, view, type, found, now);
    const linked = found.map((resource) => {
      const at = { key: resource.key, linkedAt: linkedAt.get(resource.id)! };
      return type === 'flags' ? representLinkedFlag(project.key, view.key, at) : representLinkedSegment(project.key, view.key, { ...at, environmentId: resource.environmentId!, environmentKey: resource.environmentKey! });
    });
    if (added.length > 0) await recordAudit(trx, actor, now, linkAudit(project.key, view, type, true, added, request));
    return representLinkResult(found.length, failed, linked);
  });
}
