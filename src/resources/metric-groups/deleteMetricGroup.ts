// DELETE /api/v2/projects/{projectKey}/metric-groups/{metricGroupKey} (beta) — refused (409) while a running experiment uses it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findMetricGroup } from '../metrics/model.js';
import { describeUses, usesByKey } from '../metrics/usage.js';
import { findProject } from '../projects/projects.js';

export function deleteMetricGroup(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; metricGroupKey: string } }>(
    '/api/v2/projects/:projectKey/metric-groups/:metricGroupKey',
    { config: { beta: true } },
    async (request, reply) => {
      const project = await findProject(deps.store.db, request.params.projectKey);
      const now = deps.now();
      const id = await deps.store.tx(async (trx) => {
        const { row, doc } = await findMetricGroup(trx, project.id, request.params.metricGroupKey, deps.store.kind);
        const running = ((await usesByKey(trx, project.id, 'metric-group', [row.key])).get(row.key) ?? []).filter((u) => u.running);
        if (running.length > 0) {
          throw conflict(`Metric group "${row.key}" is used by the running experiment ${describeUses(running)}; stop the experiment before deleting the group`);
        }
        await trx.deleteFrom('metric_groups').where('id', '=', row.id).execute();
        await recordAudit(trx, request.actor, now, {
          kind: 'metric-group',
          resource: `proj/${project.key}:metric-group/${row.key}`,
          action: 'deleteMetricGroup',
          name: doc.name,
          description: `deleted the metric group ${doc.name}`,
          projectKey: project.key,
          before: doc,
        });
        return row.id;
      });
      deps.changed({ kind: 'metric-group', projectId: project.id, id });
      return reply.code(204).send();
    },
  );
}
