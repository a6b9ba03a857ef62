// POST /api/v2/engineering-insights/insights/group (beta) — a new insight group of a project's environment and,
// optionally, applications (every application when none are named): 201 with it; 409 when the key is taken.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { Key, Name } from '../../http/schemas.js';
import { recordAudit } from '../audit-log/record.js';
import { lockProject } from '../projects/projects.js';
import { groupAudit, representGroup, type GroupDoc, type GroupRow } from './groups.js';

export const ApplicationKeys = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000 });
const PostInsightGroupParams = Type.Object({ name: Name, key: Key, projectKey: Key, environmentKey: Key, applicationKeys: Type.Optional(ApplicationKeys) }, { additionalProperties: false });
type PostInsightGroupParams = Static<typeof PostInsightGroupParams>;

export function createInsightGroup(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: PostInsightGroupParams }>('/api/v2/engineering-insights/insights/group', { config: { beta: true, validationErrors: true }, schema: { body: PostInsightGroupParams } }, async (request, reply) => {
    const body = request.body;
    const { project, environment } = await deps.catalog.projectEnvironment(body.projectKey, body.environmentKey);
    const now = deps.now();
    const doc: GroupDoc = body.applicationKeys && body.applicationKeys.length > 0 ? { applicationKeys: [...new Set(body.applicationKeys)] } : {};
    const row: GroupRow = { key: body.key, project_id: project.id, environment_id: environment.id, name: body.name, doc: JSON.stringify(doc), created_at: now };
    const rep = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          await lockProject(trx, deps.store, project.id);
          await trx.insertInto('insight_groups').values(row).execute();
          const group = { row, projectKey: project.key, environment };
          const shown = representGroup(group);
          await recordAudit(trx, request.actor, now, { ...groupAudit(group, 'createInsightGroup', 'created'), after: shown });
          return shown;
        }),
      `An insight group with the key "${body.key}" already exists`,
    );
    return reply.code(201).send(rep);
  });
}
