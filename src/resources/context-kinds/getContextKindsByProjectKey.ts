// GET /api/v2/projects/{projectKey}/context-kinds — the project's context kinds.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { listContextKinds, representContextKind } from './contextKinds.js';

export function getContextKindsByProjectKey(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey/context-kinds', async (request) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    const kinds = await listContextKinds(deps.store.db, project.id);
    return {
      items: kinds.map((kind) => representContextKind(project.key, kind.key, kind.doc, kind.lastSeen)),
      _links: { self: link(`/api/v2/projects/${project.key}/context-kinds`) },
    };
  });
}
