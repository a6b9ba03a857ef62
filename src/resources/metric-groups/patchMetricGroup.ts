// PATCH /api/v2/projects/{projectKey}/metric-groups/{metricGroupKey} (beta) — a bare JSON Patch; members are checked again.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findMember } from '../members/members.js';
import { findMetricGroup, type MetricGroupDoc } from '../metrics/model.js';
import { findProject } from '../projects/projects.js';
import { groupMembers, groupPatchView, patchedGroupFields, READ_ONLY_GROUP_FIELDS, representMetricGroup, requireMaintainer, WRITABLE_GROUP_FIELDS } from './groups.js';

const RULES = { writable: WRITABLE_GROUP_FIELDS, readOnly: READ_ONLY_GROUP_FIELDS };

export function patchMetricGroup(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; metricGroupKey: string }; Body: unknown }>(
    '/api/v2/projects/:projectKey/metric-groups/:metricGroupKey',
    { config: { beta: true } },
    async (request) => {
      const project = await findProject(deps.store.db, request.params.projectKey);
      const now = deps.now();
      const { ops, comment } = readPatchBody(request.body);
      const result = await deps.store.tx(async (trx) => {
        const { row, doc } = await findMetricGroup(trx, project.id, request.params.metricGroupKey, deps.store.kind);
        const current = await findMember(trx, doc.maintainerId);
        const patched = applyResourcePatch(groupPatchView(project.key, row, doc, current), ops, RULES);
        const fields = patchedGroupFields(patched);
        // A maintainer who has left the account is kept until a patch names another, as a metric's is.
        const maintainer = fields.maintainerId === doc.maintainerId ? current : await requireMaintainer(trx, fields.maintainerId);
        const { members, metrics } = await groupMembers(trx, deps.store.kind, project.id, project.key, doc.kind, fields.metrics);
        const candidate: MetricGroupDoc = JSON.parse(
          JSON.stringify({ ...doc, name: fields.name, description: fields.description, maintainerId: fields.maintainerId, tags: [...new Set(fields.tags)], metrics: members }),
        );
        if (deepEqual(candidate, doc)) return { rep: representMetricGroup(project.key, row, doc, maintainer, metrics) };

        const updated: MetricGroupDoc = { ...candidate, _version: doc._version + 1, _versionId: uuid(), _lastModified: now };
        const newRow = { ...row, name: updated.name, doc: JSON.stringify(updated) };
        await trx.updateTable('metric_groups').set({ name: newRow.name, doc: newRow.doc }).where('id', '=', row.id).execute();
        await recordAudit(trx, request.actor, now, {
          kind: 'metric-group',
          resource: `proj/${project.key}:metric-group/${row.key}`,
          action: 'updateMetricGroup',
          name: updated.name,
          description: `updated the metric group ${updated.name}`,
          projectKey: project.key,
          comment,
          delta: ops,
          before: doc,
          after: updated,
        });
        return { rep: representMetricGroup(project.key, newRow, updated, maintainer, metrics), changed: row.id };
      });
      if (result.changed) deps.changed({ kind: 'metric-group', projectId: project.id, id: result.changed });
      return result.rep;
    },
  );
}
