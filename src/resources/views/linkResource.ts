// POST /api/v2/projects/{projectKey}/views/{viewKey}/link/{resourceType} (beta) — link flags (by key) or segments (by
// environment and key) to a view, and those a filter picks (the union): 200 with how many are linked, each link, and
// each resource that could not be (one that does not exist, with the reason). A resource linked already keeps its
// link. One audit entry when something was linked. iterlab has no AI Configs: a key of one is a 404.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { link, readLinkRequest, readResourceType, resolveResources } from './linked.js';
import { findView } from './model.js';
import { linkAudit, representLinkedFlag, representLinkedSegment, representLinkResult } from './represent.js';

export function linkResource(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; viewKey: string; resourceType: string } }>(
    '/api/v2/projects/:projectKey/views/:viewKey/link/:resourceType',
    { config: { beta: true } },
    async (request) => {
      const type = readResourceType(request.params.resourceType);
      const body = readLinkRequest(request.body, type);
      const project = await deps.catalog.project(request.params.projectKey);
      const now = deps.now();
      return deps.store.tx(async (trx) => {
        const view = await findView(trx, project, request.params.viewKey, deps.store);
        if (type === 'aiConfigs') {
          if (body.keys && body.keys.length > 0) throw notFound(`AI Config "${body.keys[0]}" in project "${project.key}"`);
          return representLinkResult(0, [], []);
        }
        const { found, failed } = await resolveResources(trx, deps.store, project, type, body);
        const { linkedAt, added } = await link(trx, view, type, found, now);
        const linked = found.map((resource) => {
          const at = { key: resource.key, linkedAt: linkedAt.get(resource.id)! };
          return type === 'flags' ? representLinkedFlag(project.key, view.key, at) : representLinkedSegment(project.key, view.key, { ...at, environmentId: resource.environmentId!, environmentKey: resource.environmentKey! });
        });
        if (added.length > 0) await recordAudit(trx, request.actor, now, linkAudit(project.key, view, type, true, added, body));
        return representLinkResult(found.length, failed, linked);
      });
    },
  );
}
