// GET /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/imports/{importID} — one import of the big segment:
// its mode, status and file, and what it did (iterlab's keyCount, addedCount, removedCount).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { BigSegmentParams } from './bigSegmentOperations.js';
import { findImport, segmentAt } from './bigSegmentTransfers.js';
import { representImport } from './represent.js';

export function getBigSegmentImport(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: BigSegmentParams & { importID: string } }>('/api/v2/segments/:projectKey/:environmentKey/:segmentKey/imports/:importID', async (request) => {
    const { projectKey, environmentKey, segment } = await segmentAt(deps, request.params);
    const row = await findImport(deps.store.db, segment.row.id, request.params.importID, `segment "${segment.row.key}"`);
    return representImport(projectKey, environmentKey, segment.row.key, row);
  });
}
