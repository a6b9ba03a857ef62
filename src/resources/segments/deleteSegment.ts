// DELETE /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey} — refused (409) while a flag's targeting matches on it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict } from '../../http/errors.js';
import { lockNames } from '../../store/locks.js';
import { recordAudit } from '../audit-log/record.js';
import { flagsUsingSegment, findSegment, segmentReferencesLock, segmentsUsingSegment } from './model.js';
import { representSegment } from './represent.js';
import { forgetExpiringTargets } from '../expiring-targets/model.js';

export function deleteSegment(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; environmentKey: string; segmentKey: string } }>(
    '/api/v2/segments/:projectKey/:environmentKey/:segmentKey',
    async (request, reply) => {
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const now = deps.now();
      const id = await deps.store.tx(async (trx) => {
        const segment = await findSegment(trx, { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id }, request.params.segmentKey, deps.store.kind);
        const { row, doc } = segment;
        // Read after the lock that writes adding a reference to a segment take: a reference added meanwhile is seen.
        await lockNames(trx, deps.store, [segmentReferencesLock(environment.id)]);
        const flags = await flagsUsingSegment(trx, environment.id, row.key);
        if (flags.length > 0) {
          const names = flags.map((flag) => `"${flag.key}"`).join(', ');
          throw conflict(`Segment "${row.key}" is used by the targeting of flag ${names} in environment "${environment.key}"; remove it from their rules before deleting it`);
        }
        const segments = await segmentsUsingSegment(trx, environment.id, row.key);
        if (segments.length > 0) {
          throw conflict(`Segment "${row.key}" is used by the rules of segment ${segments.map((key) => `"${key}"`).join(', ')} in environment "${environment.key}"; remove it from their rules before deleting it`);
        }
        await trx.deleteFrom('segments').where('id', '=', row.id).execute();
        await forgetExpiringTargets(trx, { resource: 'segment', resourceId: row.id });
        await recordAudit(trx, request.actor, now, {
          kind: 'segment',
          resource: `proj/${project.key}:env/${environment.key}:segment/${row.key}`,
          action: 'deleteSegment',
          name: doc.name,
          description: `deleted the segment ${doc.name} from ${environment.key}`,
          projectKey: project.key,
          // As the API shows it (no salt).
          before: representSegment(project.key, environment.key, segment),
        });
        return row.id;
      });
      deps.changed({ kind: 'segment', projectId: project.id, id });
      return reply.code(204).send();
    },
  );
}
