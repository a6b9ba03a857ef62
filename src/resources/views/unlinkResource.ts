// DELETE /api/v2/projects/{projectKey}/views/{viewKey}/link/{resourceType} (beta) — unlink flags (by key), segments
// (by environment and key) or AI Configs (by key: their flags' links) from a view, and the flags or segments a filter picks: 200 with how many are now unlinked. Idempotent: a
// resource that was not linked, or does not exist, is unlinked already (a success, not a failure). One audit entry
// when a link was removed.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { resolveResources, unlink } from './linked.js';
import { linkRoute } from './linkRoute.js';
import { linkAudit, representLinkResult } from './represent.js';

export function unlinkResource(app: FastifyInstance, deps: Deps): void {
  linkRoute(app, deps, 'DELETE', async ({ trx, project, view, type, request, actor, now }) => {
    const { found, failed } = await resolveResources(trx, deps.store, project, type, request);
    const removed = await unlink(trx, view, type, found);
    if (removed.length > 0) await recordAudit(trx, actor, now, linkAudit(project.key, view, type, false, removed, request));
    return representLinkResult(found.length + failed.length, []);
  });
}
