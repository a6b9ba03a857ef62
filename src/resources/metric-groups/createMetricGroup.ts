// POST /api/v2/projects/{projectKey}/metric-groups (beta) — create a funnel or standard group of existing metrics.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { isObject } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import type { MetricGroupDoc } from '../metrics/model.js';
import { findProject } from '../projects/projects.js';
import { groupMembers, keyFromName, MetricGroupPost, representMetricGroup, requireMaintainer } from './groups.js';

/**
 * The body, or every problem with it at once: the schema's, and a missing maintainer (which the schema leaves to
 * requireMaintainer so that, alone, it gets LaunchDarkly's own message).
 */
function checkedPost(body: unknown): MetricGroupPost {
  const errors = check(MetricGroupPost, body);
  if (errors.length === 0) return body as MetricGroupPost;
  const maintainer = isObject(body) ? body.maintainerId : undefined;
  if (maintainer === undefined || (typeof maintainer === 'string' && maintainer.trim() === '')) errors.push({ attribute: 'maintainerId', reason: 'maintainer ID is required' });
  throw validationFailed(errors);
}

export function createMetricGroup(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: MetricGroupPost }>(
    '/api/v2/projects/:projectKey/metric-groups',
    { config: { beta: true } },
    async (request, reply) => {
      const body = checkedPost(request.body);
      const project = await findProject(deps.store.db, request.params.projectKey);
      const key = body.key ?? keyFromName(body.name);
      const now = deps.now();
      const id = uuid();
      const created = await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            const maintainer = await requireMaintainer(trx, body.maintainerId);
            const { members, metrics } = await groupMembers(trx, deps.store.kind, project.id, project.key, body.kind, body.metrics);
            const doc: MetricGroupDoc = {
              kind: body.kind,
              name: body.name,
              ...(body.description ? { description: body.description } : {}),
              maintainerId: maintainer.id,
              tags: [...new Set(body.tags)],
              metrics: members,
              _version: 1,
              _versionId: uuid(),
              _creationDate: now,
              _lastModified: now,
            };
            const row = { id, project_id: project.id, key, name: doc.name, doc: JSON.stringify(doc), created_at: now };
            await trx.insertInto('metric_groups').values(row).execute();
            await recordAudit(trx, request.actor, now, {
              kind: 'metric-group',
              resource: `proj/${project.key}:metric-group/${key}`,
              action: 'createMetricGroup',
              name: doc.name,
              description: `created the metric group ${doc.name}`,
              projectKey: project.key,
              after: doc,
            });
            return representMetricGroup(project.key, row, doc, maintainer, metrics);
          }),
        `A metric group with the key "${key}" already exists in project "${project.key}"`,
      );
      deps.changed({ kind: 'metric-group', projectId: project.id, id });
      return reply.code(201).send(created);
    },
  );
}
