// POST /api/v2/metrics/{projectKey} — create a metric (pageview, click or custom); 409 when the key exists.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { objectId, uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { registeredUnits } from '../experimentation-settings/settings.js';
import { requireMember } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import type { MetricDoc } from './model.js';
import { metricContent, MetricPost, unsupportedFields } from './rules.js';
import { representMetric } from './represent.js';

export function postMetric(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: MetricPost }>(
    '/api/v2/metrics/:projectKey',
    {
      schema: { body: MetricPost },
      // A member sent as null is one left out (a client serialising its unset fields), as "" and [] are for the
      // fields a kind does not use (metricContent).
      preValidation: async (request) => {
        const body = request.body;
        if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
          for (const [name, value] of Object.entries(body)) if (value === null) delete (body as Record<string, unknown>)[name];
        }
      },
    },
    async (request, reply) => {
      const unsupported = unsupportedFields(request.body as Record<string, unknown>);
      if (unsupported.length > 0) throw validationFailed(unsupported);
      const project = await findProject(deps.store.db, request.params.projectKey);
      const { key } = request.body;
      const now = deps.now();
      const content = metricContent(request.body, key, await registeredUnits(deps.store.db, project.id), request.actor!.memberId);
      const doc: MetricDoc = { ...content, _versionId: uuid(), _version: 1, creationDate: now, lastModified: now };
      const row = { id: objectId(now), project_id: project.id, key, name: doc.name, doc: JSON.stringify(doc), created_at: now };
      const maintainer = await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            const member = await requireMember(trx, doc.maintainerId!, 'maintainerId');
            await trx.insertInto('metrics').values(row).execute();
            await recordAudit(trx, request.actor, now, {
              kind: 'metric',
              resource: `proj/${project.key}:metric/${key}`,
              action: 'createMetric',
              name: doc.name,
              description: `created the metric ${doc.name}`,
              projectKey: project.key,
              after: representMetric(project.key, row, doc, member),
            });
            return member;
          }),
        `A metric with the key "${key}" already exists in project "${project.key}"`,
      );
      deps.changed({ kind: 'metric', projectId: project.id, id: row.id });
      return reply.code(201).send(representMetric(project.key, row, doc, maintainer));
    },
  );
}
