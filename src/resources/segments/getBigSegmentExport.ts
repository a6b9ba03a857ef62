// GET /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/exports/{exportID} — one export of the big segment:
// its status, its file's size, who asked, and `_links.download`, where iterlab serves the file.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { BigSegmentParams } from './bigSegmentOperations.js';
import { findExport } from './bigSegmentTransfers.js';
import { findSegment } from './model.js';
import { representExport } from './represent.js';

export function getBigSegmentExport(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: BigSegmentParams & { exportID: string } }>('/api/v2/segments/:projectKey/:environmentKey/:segmentKey/exports/:exportID', async (request) => {
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const scope = { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id };
    const segment = await findSegment(deps.store.db, scope, request.params.segmentKey);
    const row = await findExport(deps.store.db, segment.row.id, request.params.exportID, `segment "${segment.row.key}"`);
    return representExport(project.key, environment.key, segment.row.key, row);
  });
}
