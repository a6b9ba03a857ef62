// POST /api/v2/segments/{projectKey}/{environmentKey} — create a segment, standard or big (`unbounded`), with no targets
// and no rules; 409 when the key exists.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { newSegment } from './rules.js';
import { representSegment } from './represent.js';
import { SegmentBody } from './schemas.js';

export function postSegment(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; environmentKey: string }; Body: SegmentBody }>(
    '/api/v2/segments/:projectKey/:environmentKey',
    { schema: { body: SegmentBody } },
    async (request, reply) => {
      const body = request.body;
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const now = deps.now();
      const doc = newSegment(body, now);
      const row = { id: objectId(now), environment_id: environment.id, key: body.key, name: doc.name, doc: JSON.stringify(doc), created_at: now };
      await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            await trx.insertInto('segments').values(row).execute();
            await recordAudit(trx, request.actor, now, {
              kind: 'segment',
              resource: `proj/${project.key}:env/${environment.key}:segment/${body.key}`,
              action: 'createSegment',
              name: doc.name,
              description: `created the segment ${doc.name} in ${environment.key}`,
              projectKey: project.key,
              // As the API shows it (no salt).
              after: representSegment(project.key, environment.key, { row, doc }),
            });
          }),
        `A segment with the key "${body.key}" already exists in environment "${environment.key}" of project "${project.key}"`,
      );
      deps.changed({ kind: 'segment', projectId: project.id, id: row.id });
      return reply.code(201).send(representSegment(project.key, environment.key, { row, doc }));
    },
  );
}
