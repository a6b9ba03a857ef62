// PATCH /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey} — change a segment: semantic patch, JSON merge patch or JSON Patch.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam } from '../../http/filter.js';
import { recordAudit } from '../audit-log/record.js';
import { findSegment, saveSegment } from './model.js';
import { representSegment, segmentView } from './represent.js';
import { segmentFrom } from './rules.js';
import { parseSegmentUpdate } from './update.js';

export function patchSegment(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; environmentKey: string; segmentKey: string } }>(
    '/api/v2/segments/:projectKey/:environmentKey/:segmentKey',
    async (request) => {
      // LaunchDarkly's `dryRun=true`: answer with the segment as the patch would leave it, and write nothing.
      const dryRun = parseBooleanParam((request.query as Record<string, unknown>).dryRun, 'dryRun') ?? false;
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const update = parseSegmentUpdate(request.body, request.headers['content-type'], environment.key);
      const now = deps.now();
      const scope = { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id };
      const outcome = await deps.store.tx(async (trx) => {
        const before = await findSegment(trx, scope, request.params.segmentKey, deps.store.kind);
        const { doc, changed } = segmentFrom(update.apply(segmentView(before.row.key, before.doc)), before.doc, now);
        const segment = { row: { ...before.row, name: doc.name }, doc };
        if (!changed || dryRun) return { rep: representSegment(project.key, environment.key, segment), changed: false };
        await saveSegment(trx, before.row.id, doc);
        await recordAudit(trx, request.actor, now, {
          kind: 'segment',
          resource: `proj/${project.key}:env/${environment.key}:segment/${before.row.key}`,
          action: 'updateSegment',
          name: doc.name,
          description: `updated the segment ${doc.name} in ${environment.key}`,
          projectKey: project.key,
          ...(update.comment !== undefined ? { comment: update.comment } : {}),
          delta: update.delta,
          // As the API shows it (no salt).
          before: representSegment(project.key, environment.key, before),
          after: representSegment(project.key, environment.key, segment),
        });
        return { rep: representSegment(project.key, environment.key, segment), changed, id: before.row.id };
      });
      if (outcome.changed) deps.changed({ kind: 'segment', projectId: project.id, id: outcome.id });
      return outcome.rep;
    },
  );
}
