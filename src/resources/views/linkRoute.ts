// What linkResource and unlinkResource share: the route (POST links, DELETE unlinks), the resource type and body read
// before anything is looked up, and one transaction holding the view (locked on PostgreSQL) for the change.
import type { FastifyInstance } from 'fastify';
import type { Actor, Deps } from '../../http/context.js';
import type { Trx } from '../../store/db.js';
import type { ProjectRow } from '../projects/projects.js';
import { readLinkRequest, readResourceType, type LinkRequest, type ResourceType } from './linked.js';
import { findView, type ViewRow } from './model.js';

interface LinkChange {
  trx: Trx;
  project: ProjectRow;
  view: ViewRow;
  type: ResourceType;
  request: LinkRequest;
  actor: Actor | undefined;
  now: number;
}

export function linkRoute(app: FastifyInstance, deps: Deps, method: 'POST' | 'DELETE', change: (c: LinkChange) => Promise<Record<string, unknown>>): void {
  app.route<{ Params: { projectKey: string; viewKey: string; resourceType: string } }>({
    method,
    url: '/api/v2/projects/:projectKey/views/:viewKey/link/:resourceType',
    config: { beta: true },
    handler: async (req) => {
      const type = readResourceType(req.params.resourceType);
      const request = readLinkRequest(req.body, type);
      const project = await deps.catalog.project(req.params.projectKey);
      const now = deps.now();
      return deps.store.tx(async (trx) => {
        const view = await findView(trx, project, req.params.viewKey, deps.store);
        return change({ trx, project, view, type, request, actor: req.actor, now });
      });
    },
  });
}
