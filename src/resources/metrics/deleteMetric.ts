// DELETE /api/v2/metrics/{projectKey}/{metricKey} — refused (409) while a running experiment or a metric group uses it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { findMetric, listMetricGroups } from './model.js';
import { representMetric } from './represent.js';
import { findMember } from '../members/members.js';
import { describeUses, metricUsage } from './usage.js';

export function deleteMetric(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; metricKey: string } }>('/api/v2/metrics/:projectKey/:metricKey', async (request, reply) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    const now = deps.now();
    const id = await deps.store.tx(async (trx) => {
      const { row, doc } = await findMetric(trx, project.id, request.params.metricKey, deps.store.kind);
      // Listed by a running iteration, or measured by one through a group it lists (as its results read it).
      const running = (await metricUsage(trx, project.id, [row.key]))(row.key).filter((u) => u.running);
      if (running.length > 0) {
        throw conflict(`Metric "${row.key}" is used by the running experiment ${describeUses(running)}; stop the experiment before deleting the metric`);
      }
      const groups = (await listMetricGroups(trx, project.id)).filter((g) => g.doc.metrics.some((m) => m.key === row.key));
      if (groups.length > 0) {
        const names = groups.map((g) => `"${g.row.key}"`).join(', ');
        throw conflict(`Metric "${row.key}" is in the metric group ${names}; remove it from the group before deleting the metric`);
      }
      await trx.deleteFrom('metrics').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, {
        kind: 'metric',
        resource: `proj/${project.key}:metric/${row.key}`,
        action: 'deleteMetric',
        name: doc.name,
        description: `deleted the metric ${doc.name}`,
        projectKey: project.key,
        before: representMetric(project.key, row, doc, doc.maintainerId ? await findMember(trx, doc.maintainerId) : undefined),
      });
      return row.id;
    });
    deps.changed({ kind: 'metric', projectId: project.id, id });
    return reply.code(204).send();
  });
}
