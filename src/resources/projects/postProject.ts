// POST /api/v2/projects — create a project with its environments (production and test unless given).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { Key, Name, StringEnum, Tags } from '../../http/schemas.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { ensureContextKind } from '../context-kinds/contextKinds.js';
import { EnvironmentPost } from '../environments/schemas.js';
import { creationInput, insertEnvironment, representEnvironment } from '../environments/environments.js';
import { defaultSettings } from '../experimentation-settings/settings.js';
import { NAMING_CASES, representProject, type ProjectDoc } from './projects.js';

const ClientSideAvailability = Type.Object({ usingMobileKey: Type.Boolean(), usingEnvironmentId: Type.Boolean() });

export const ProjectPost = Type.Object({
  name: Name,
  key: Key,
  includeInSnippetByDefault: Type.Optional(Type.Boolean()),
  defaultClientSideAvailability: Type.Optional(ClientSideAvailability),
  tags: Type.Optional(Tags),
  environments: Type.Optional(Type.Array(EnvironmentPost, { maxItems: 100 })),
  namingConvention: Type.Optional(Type.Object({ case: Type.Optional(StringEnum(NAMING_CASES)), prefix: Type.Optional(Type.String({ maxLength: 256 })) })),
});
type ProjectPost = Static<typeof ProjectPost>;

const DEFAULT_ENVIRONMENTS: EnvironmentPost[] = [
  { key: 'production', name: 'Production', color: '417505' },
  { key: 'test', name: 'Test', color: 'F5A623' },
];

export function postProject(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: ProjectPost }>('/api/v2/projects', { schema: { body: ProjectPost } }, async (request, reply) => {
    const body = request.body;
    const environments = body.environments && body.environments.length > 0 ? body.environments : DEFAULT_ENVIRONMENTS;
    const duplicate = environments.findIndex((env, i) => environments.findIndex((other) => other.key === env.key) !== i);
    if (duplicate >= 0) {
      throw validationFailed([{ attribute: `environments[${duplicate}].key`, reason: `duplicate environment key "${environments[duplicate].key}"` }]);
    }
    const snippet = body.defaultClientSideAvailability?.usingEnvironmentId;
    if (body.includeInSnippetByDefault !== undefined && snippet !== undefined && body.includeInSnippetByDefault !== snippet) {
      throw validationFailed([
        { attribute: 'includeInSnippetByDefault', reason: `is ${body.includeInSnippetByDefault}, but defaultClientSideAvailability.usingEnvironmentId is ${snippet}: they are one setting (the first its older name)` },
      ]);
    }
    const cloned = environments.findIndex((env) => (env as { source?: unknown }).source != null);
    if (cloned >= 0) {
      throw validationFailed([{ attribute: `environments[${cloned}].source`, reason: 'cannot be given here: a new project has no environment to clone; create the project, then the environment with its source' }]);
    }
    const now = deps.now();
    const doc: ProjectDoc = {
      includeInSnippetByDefault: body.includeInSnippetByDefault ?? body.defaultClientSideAvailability?.usingEnvironmentId ?? false,
      defaultClientSideAvailability: body.defaultClientSideAvailability ?? {
        usingMobileKey: true,
        usingEnvironmentId: body.includeInSnippetByDefault ?? false,
      },
      tags: body.tags ?? [],
      ...(body.namingConvention ? { namingConvention: body.namingConvention } : {}),
    };
    const row = { id: objectId(now), key: body.key, name: body.name, doc: JSON.stringify(doc), created_at: now };
    const envRows = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          await trx.insertInto('projects').values(row).execute();
          await trx.insertInto('experimentation_settings').values({ project_id: row.id, doc: JSON.stringify(defaultSettings()), created_at: now }).execute();
          await ensureContextKind(trx, row.id, 'user', 'default', now);
          const created = [];
          for (const [position, env] of environments.entries()) created.push(await insertEnvironment(trx, row.id, creationInput(env), position, now));
          await recordAudit(trx, request.actor, now, {
            kind: 'project',
            resource: `proj/${body.key}`,
            action: 'createProject',
            name: body.name,
            description: `created the project ${body.name}`,
            projectKey: body.key,
            after: representProject(row),
          });
          return created;
        }),
      `A project with the key "${body.key}" already exists`,
    );
    deps.changed({ kind: 'project', projectId: row.id });
    return reply.code(201).send(representProject(row, envRows.map((env) => representEnvironment(body.key, env))));
  });
}
