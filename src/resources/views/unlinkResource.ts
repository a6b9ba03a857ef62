// DELETE /api/v2/projects/{projectKey}/views/{viewKey}/link/{resourceType} (beta) — unlink flags (by key) or segments
// (by environment and key) from a view, and those a filter picks: 200 with how many are now unlinked. Idempotent: a
// resource that was not linked, or does not exist, is unlinked already (a success, not a failure). One audit entry
// when a link was removed.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { readLinkRequest, readResourceType, resolveResources, unlink } from './linked.js';
import { findView } from './model.js';
import { linkAudit, representLinkResult } from './represent.js';

export function unlinkResource(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; viewKey: string; resourceType: string } }>(
    '/api/v2/projects/:projectKey/views/:viewKey/link/:resourceType',
    { config: { beta: true } },
    async (request) => {
      const type = readResourceType(request.params.resourceType);
      const body = readLinkRequest(request.body, type);
      const project = await deps.catalog.project(request.params.projectKey);
      const now = deps.now();
      return deps.store.tx(async (trx) => {
        const view = await findView(trx, project, request.params.viewKey, deps.store);
        // iterlab links no AI Config: every one named is unlinked already.
        if (type === 'aiConfigs') return representLinkResult(new Set(body.keys ?? []).size, []);
        const { found, failed } = await resolveResources(trx, deps.store, project, type, body);
        const removed = await unlink(trx, view, type, found);
        if (removed.length > 0) await recordAudit(trx, request.actor, now, linkAudit(project.key, view, type, false, removed, body));
        return representLinkResult(found.length + failed.length, []);
      });
    },
  );
}
