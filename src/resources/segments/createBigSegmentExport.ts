// POST /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/exports — export a big segment: the CSV file of its
// included context keys (one a line, no header: the file an import takes back) is made at once and kept with the
// export, whose status is then complete. 200 with no body, as LaunchDarkly documents it; the `Location` header names
// the export (getBigSegmentExport), whose `_links.download` is the file. A standard segment is a 400. Readers may
// export: the file holds what reading the segment's membership shows them.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { refuseBody } from '../../http/validation.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import type { BigSegmentParams } from './bigSegmentOperations.js';
import { bigSegmentKeys, requireBigSegment } from './bigSegments.js';
import { initiatorOf, keysCsv, segmentPlace, type ExportDoc, type ExportRow } from './bigSegmentTransfers.js';
import { findSegment, segmentResourceId } from './model.js';
import { exportPath } from './represent.js';

export function createBigSegmentExport(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: BigSegmentParams }>('/api/v2/segments/:projectKey/:environmentKey/:segmentKey/exports', { config: { noBody: true, role: 'reader' } }, async (request, reply) => {
    refuseBody(request.body);
    const { project, environment, scope } = await segmentPlace(deps, request.params);
    const now = deps.now();
    const row = await deps.store.tx(async (trx) => {
      // Locked on PostgreSQL: the file is the included keys as of one moment, not a mix of two writes.
      const segment = await findSegment(trx, scope, request.params.segmentKey, deps.store.kind);
      requireBigSegment(segment, 'createBigSegmentExport', false);
      const keys = await bigSegmentKeys(trx, segment.row.id, 'included');
      const csv = keysCsv(keys);
      const initiator = await initiatorOf(trx, request);
      const doc: ExportDoc = { status: 'complete', sizeBytes: Buffer.byteLength(csv, 'utf8'), keyCount: keys.length, ...(initiator ? { initiator } : {}) };
      const exported: ExportRow = { id: objectId(now), segment_id: segment.row.id, doc: JSON.stringify(doc), csv, created_at: now };
      await trx.insertInto('big_segment_exports').values(exported).execute();
      await recordAudit(trx, request.actor, now, {
        kind: 'segment',
        resource: segmentResourceId({ projectKey: project.key, environmentKey: environment.key, segmentKey: segment.row.key }),
        action: 'createBigSegmentExport',
        name: segment.doc.name,
        description: `exported the big segment ${segment.doc.name} in ${environment.key} (${keys.length} included keys)`,
        projectKey: project.key,
      });
      return exported;
    });
    return reply.code(200).header('location', exportPath(project.key, environment.key, request.params.segmentKey, row.id)).send();
  });
}
