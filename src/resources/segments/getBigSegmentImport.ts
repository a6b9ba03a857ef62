// GET /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/imports/{importID} — one import of the big segment:
// its mode, status and file, and what it did (iterlab's keyCount, addedCount, removedCount).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { BigSegmentParams } from './bigSegmentOperations.js';
import { findImport } from './bigSegmentTransfers.js';
import { findSegment } from './model.js';
import { representImport } from './represent.js';

export function getBigSegmentImport(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: BigSegmentParams & { importID: string } }>('/api/v2/segments/:projectKey/:environmentKey/:segmentKey/imports/:importID', async (request) => {
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const scope = { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id };
    const segment = await findSegment(deps.store.db, scope, request.params.segmentKey);
    const row = await findImport(deps.store.db, segment.row.id, request.params.importID, `segment "${segment.row.key}"`);
    return representImport(project.key, environment.key, segment.row.key, row);
  });
}
