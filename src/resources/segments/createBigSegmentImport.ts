// POST /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/imports — import a CSV file of context keys into a
// big segment's included targets (multipart/form-data: `file`, `mode` merge or replace, `waitOnApprovals`). merge adds
// the file's keys; replace makes them the included keys (the others are removed); excluded keys are left alone. The
// file is read whole first (a bad file is a 400 and changes nothing), then applied in one transaction with the import
// recorded as complete: 204, with the `Location` header naming the import (getBigSegmentImport).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { formParts } from '../../http/multipart.js';
import { objectId } from '../../store/ids.js';
import { commitBigSegmentChanges, type BigSegmentParams } from './bigSegmentOperations.js';
import { bigSegmentKeys, requireBigSegment, type BigSegmentChanges } from './bigSegments.js';
import { IMPORT_MODES, initiatorOf, MAX_IMPORT_BYTES, readImportKeys, segmentPlace, type ImportDoc, type ImportMode, type ImportRow } from './bigSegmentTransfers.js';
import { findSegment } from './model.js';
import { importPath } from './represent.js';

interface ImportForm {
  filename: string;
  text: string;
  mode: ImportMode;
}

/** The form's file, mode (merge when none is given) and waitOnApprovals, each a 400 naming it when it is wrong. */
function readImportForm(body: unknown, contentType: string | undefined): ImportForm {
  const parts = formParts(body, contentType, 'Invalid request body: send multipart/form-data with a CSV `file` part');
  const file = parts.find((part) => part.name === 'file');
  const mode = parts.find((part) => part.name === 'mode')?.content.trim() ?? 'merge';
  const wait = parts.find((part) => part.name === 'waitOnApprovals')?.content.trim();
  const errors = [
    ...(file ? [] : [{ attribute: 'file', reason: 'is required: a CSV file of context keys' }]),
    ...((IMPORT_MODES as readonly string[]).includes(mode) ? [] : [{ attribute: 'mode', reason: `must be merge or replace, not "${mode}"` }]),
    ...(wait === undefined || wait === 'true' || wait === 'false' ? [] : [{ attribute: 'waitOnApprovals', reason: 'must be true or false' }]),
  ];
  if (errors.length > 0) throw validationFailed(errors);
  return { filename: file!.filename || 'import.csv', text: file!.content, mode: mode as ImportMode };
}

export function createBigSegmentImport(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: BigSegmentParams }>(
    '/api/v2/segments/:projectKey/:environmentKey/:segmentKey/imports',
    // The upload is bounded by BODY_LIMIT_BYTES as every body is (1 MiB by default): raise it for files up to
    // LaunchDarkly's 40 MB, beyond which a file is refused whatever the limit.
    { config: { multipart: true } },
    async (request, reply) => {
      // The form first: a body that is no form is a 400 whatever the path names (as other routes' parsers refuse it).
      const form = readImportForm(request.body, request.headers['content-type']);
      if (Buffer.byteLength(form.text, 'utf8') > MAX_IMPORT_BYTES) throw validationFailed([{ attribute: 'file', reason: 'must not exceed 40 MB' }]);
      const keys = readImportKeys(form.text);
      const { project, environment, scope } = await segmentPlace(deps, request.params);
      const now = deps.now();
      const done = await deps.store.tx(async (trx) => {
        const segment = await findSegment(trx, scope, request.params.segmentKey, deps.store.kind);
        requireBigSegment(segment, 'createBigSegmentImport', false);
        const included = new Set(await bigSegmentKeys(trx, segment.row.id, 'included'));
        const inFile = new Set(keys);
        const changes: BigSegmentChanges = {
          included: { add: keys.filter((key) => !included.has(key)), remove: form.mode === 'replace' ? [...included].filter((key) => !inFile.has(key)) : [] },
          excluded: { add: [], remove: [] },
        };
        await commitBigSegmentChanges(trx, request.actor, now, { project, environment }, segment, changes, ` from the file ${form.filename} (${form.mode})`);
        const initiator = await initiatorOf(trx, request);
        const doc: ImportDoc = {
          mode: form.mode,
          status: 'complete',
          files: [{ filename: form.filename, status: 'complete' }],
          keyCount: keys.length,
          addedCount: changes.included.add.length,
          removedCount: changes.included.remove.length,
          ...(initiator ? { initiator } : {}),
        };
        const row: ImportRow = { id: objectId(now), segment_id: segment.row.id, doc: JSON.stringify(doc), created_at: now };
        await trx.insertInto('big_segment_imports').values(row).execute();
        return { id: row.id, segmentId: segment.row.id, changed: doc.addedCount + doc.removedCount > 0 };
      });
      if (done.changed) deps.changed({ kind: 'segment', projectId: project.id, id: done.segmentId });
      return reply.code(204).header('location', importPath(project.key, environment.key, request.params.segmentKey, done.id)).send();
    },
  );
}
