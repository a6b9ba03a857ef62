// PATCH /api/v2/metrics/{projectKey}/{metricKey} — a bare JSON Patch; the result must still satisfy its kind's rules.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { registeredUnits } from '../experimentation-settings/settings.js';
import { findMember, requireMember } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { uuid } from '../../store/ids.js';
import { findMetric, listMetricGroups, type MetricDoc } from './model.js';
import { metricPatchView, READ_ONLY_METRIC_FIELDS, representMetric } from './represent.js';
import { metricContent, WRITABLE_METRIC_FIELDS } from './rules.js';

const RULES = {
  writable: WRITABLE_METRIC_FIELDS,
  readOnly: READ_ONLY_METRIC_FIELDS,
  // Terraform's provider still patches `/isActive`, which LaunchDarkly ignores ("all metrics are considered active").
  ignored: ['isActive'],
  aliases: { analysisUnits: 'randomizationUnits' },
};

export function patchMetric(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; metricKey: string }; Body: unknown }>('/api/v2/metrics/:projectKey/:metricKey', async (request) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    const now = deps.now();
    const { ops, comment } = readPatchBody(request.body);
    const result = await deps.store.tx(async (trx) => {
      const { row, doc } = await findMetric(trx, project.id, request.params.metricKey, deps.store.kind);
      const maintainer = doc.maintainerId ? await findMember(trx, doc.maintainerId) : undefined;
      const patched = applyResourcePatch(metricPatchView(project.key, row, doc, maintainer), ops, RULES);
      const fields: Record<string, unknown> = { kind: doc.kind };
      for (const name of WRITABLE_METRIC_FIELDS) if (patched[name] !== undefined) fields[name] = patched[name];
      const content = metricContent(fields, row.key, await registeredUnits(trx, project.id), doc.maintainerId ?? request.actor!.memberId);
      const { _versionId, _version, creationDate, lastModified, archived, archivedAt, category } = doc;
      const bookkeeping = { _versionId, _version, creationDate, lastModified, archived, archivedAt, category };
      const candidate: MetricDoc = JSON.parse(JSON.stringify({ ...content, ...bookkeeping } satisfies MetricDoc));
      if (deepEqual(candidate, doc)) return { row, doc, maintainer };
      if (candidate.kind === 'custom' && candidate.isNumeric && !doc.isNumeric) {
        // A funnel's steps are conversion, click or page view metrics (as createMetricGroup checks of each step).
        const funnels = (await listMetricGroups(trx, project.id)).filter((g) => g.doc.kind === 'funnel' && g.doc.metrics.some((m) => m.key === row.key));
        if (funnels.length > 0) {
          const names = funnels.map((g) => `"${g.row.key}"`).join(', ');
          throw validationFailed([{ attribute: 'isNumeric', reason: `metric "${row.key}" is a step of the funnel group ${names}; a funnel's steps cannot be numeric` }]);
        }
      }

      const newMaintainer = content.maintainerId === doc.maintainerId ? maintainer : await requireMember(trx, content.maintainerId!, 'maintainerId');
      const stored: MetricDoc = { ...candidate, _versionId: uuid(), _version: doc._version + 1, lastModified: now };
      const newRow = { ...row, name: stored.name, doc: JSON.stringify(stored) };
      await trx.updateTable('metrics').set({ name: newRow.name, doc: newRow.doc }).where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, {
        kind: 'metric',
        resource: `proj/${project.key}:metric/${row.key}`,
        action: 'updateMetric',
        name: stored.name,
        description: `updated the metric ${stored.name}`,
        projectKey: project.key,
        comment,
        delta: ops,
        before: representMetric(project.key, row, doc, maintainer),
        after: representMetric(project.key, newRow, stored, newMaintainer),
      });
      return { row: newRow, doc: stored, maintainer: newMaintainer, changed: true };
    });
    if ('changed' in result) deps.changed({ kind: 'metric', projectId: project.id, id: result.row.id });
    return representMetric(project.key, result.row, result.doc, result.maintainer);
  });
}
