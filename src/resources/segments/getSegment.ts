// GET /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey} — one segment, with the flags that target it (`_flags`).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findSegment, flagsUsingSegment } from './model.js';
import { representSegment } from './represent.js';

export function getSegment(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string; segmentKey: string } }>('/api/v2/segments/:projectKey/:environmentKey/:segmentKey', async (request) => {
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const db = deps.store.db;
    const segment = await findSegment(db, { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id }, request.params.segmentKey);
    return representSegment(project.key, environment.key, segment, await flagsUsingSegment(db, environment.id, segment.row.key));
  });
}
