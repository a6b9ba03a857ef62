// GET /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/exports/{exportID} — one export of the big segment:
// its status, its file's size, who asked, and `_links.download`, where iterlab serves the file.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { BigSegmentParams } from './bigSegmentOperations.js';
import { findExport, segmentAt } from './bigSegmentTransfers.js';
import { representExport } from './represent.js';

export function getBigSegmentExport(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: BigSegmentParams & { exportID: string } }>('/api/v2/segments/:projectKey/:environmentKey/:segmentKey/exports/:exportID', async (request) => {
    const { projectKey, environmentKey, segment } = await segmentAt(deps, request.params);
    const row = await findExport(deps.store.db, segment.row.id, request.params.exportID, `segment "${segment.row.key}"`);
    return representExport(projectKey, environmentKey, segment.row.key, row);
  });
}
