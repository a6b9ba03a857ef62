// POST /api/v2/projects/{projectKey}/environments — create an environment (or clone one with `source`); every flag gets targeting in it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, notFound } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject } from '../projects/projects.js';
import { creationInput, environmentSettings, insertEnvironment, representEnvironment } from './environments.js';
import { EnvironmentPost } from './schemas.js';

export function postEnvironment(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: EnvironmentPost }>(
    '/api/v2/projects/:projectKey/environments',
    { schema: { body: EnvironmentPost } },
    async (request, reply) => {
      const body = request.body;
      const project = await findProject(deps.store.db, request.params.projectKey);
      const now = deps.now();
      const row = await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            // Serializes with the project's other child writes: positions stay distinct, and a flag creation that
            // takes the same lock either sees this environment or is seen by addConfigsForEnvironment.
            await lockProject(trx, deps.store, project.id);
            const last = await trx
              .selectFrom('environments')
              .select((eb) => eb.fn.max('position').as('position'))
              .where('project_id', '=', project.id)
              .executeTakeFirst();
            // A clone copies the source's flag targeting, and its settings wherever the body names none.
            const source = body.source
              ? await trx.selectFrom('environments').selectAll().where('project_id', '=', project.id).where('key', '=', body.source.key).executeTakeFirst()
              : undefined;
            if (body.source && !source) throw notFound(`Environment "${body.source.key}" (the clone source) in project "${project.key}"`);
            const fields = creationInput(body);
            const input = source ? { ...environmentSettings(source), ...fields } : fields;
            const env = await insertEnvironment(trx, project.id, input, Number(last?.position ?? -1) + 1, now, source?.id);
            await recordAudit(trx, request.actor, now, {
              kind: 'environment',
              resource: `proj/${project.key}:env/${body.key}`,
              action: 'createEnvironment',
              name: body.name,
              description: source ? `cloned the environment ${source.name} as ${body.name}` : `created the environment ${body.name}`,
              projectKey: project.key,
              after: representEnvironment(project.key, env),
            });
            return env;
          }),
        `An environment with the key "${body.key}" already exists in project "${project.key}"`,
      );
      deps.changed({ kind: 'environment', projectId: project.id, id: row.id });
      return reply.code(201).send(representEnvironment(project.key, row));
    },
  );
}
