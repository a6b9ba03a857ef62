// GET /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/exports/{exportID}/download — an export's CSV file
// (text/csv, as an attachment): the link an Export's `_links.download` gives. Not an operation of LaunchDarkly's spec
// (its files are served from elsewhere); read with an access token, as the export itself is (docs/compatibility.md).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { BigSegmentParams } from './bigSegmentOperations.js';
import { exportFile, findExport, segmentAt } from './bigSegmentTransfers.js';

export function getBigSegmentExportFile(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: BigSegmentParams & { exportID: string } }>('/api/v2/segments/:projectKey/:environmentKey/:segmentKey/exports/:exportID/download', async (request, reply) => {
    const { segment } = await segmentAt(deps, request.params);
    const row = await findExport(deps.store.db, segment.row.id, request.params.exportID, `segment "${segment.row.key}"`);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${segment.row.key}-${row.id}.csv"`)
      .send(await exportFile(deps.store.db, row.id));
  });
}
