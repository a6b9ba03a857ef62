// POST /api/v2/projects/{projectKey}/environments/{environmentKey}/sdk-keys (beta) — a new server-side (`sdk`, the
// default) or mobile SDK key for the environment (writers and admins, as resetting its keys): 201 with it and its value, which works
// for the environment's SDKs at once, exactly as the environment's own key of that kind, until it expires or is deleted.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { lockEnvironment } from '../environments/environments.js';
import { findProject } from '../projects/projects.js';
import { checkExpiry, mintSdkKeyValue, SdkKeyPost, type SdkKeyDoc, type SdkKeyRow } from './model.js';
import { auditedSdkKey, representSdkKey, sdkKeyAudit } from './represent.js';

export function postSdkKey(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; environmentKey: string }; Body: SdkKeyPost }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/sdk-keys',
    { config: { beta: true }, schema: { body: SdkKeyPost } },
    async (request, reply) => {
      const body = request.body;
      const now = deps.now();
      checkExpiry(body.expiry, now);
      const project = await findProject(deps.store.db, request.params.projectKey);
      const kind = body.kind ?? 'sdk';
      const doc: SdkKeyDoc = {
        name: body.name,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(request.actor ? { createdByMemberId: request.actor.memberId } : {}),
      };
      const row = await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            // Locked, so that the environment cannot be deleted under the new key.
            const env = await lockEnvironment(trx, deps.store, project, request.params.environmentKey);
            const created: SdkKeyRow = {
              id: uuid(),
              environment_id: env.id,
              key: body.key,
              kind,
              value: mintSdkKeyValue(kind),
              expires_at: body.expiry ?? null,
              version: 1,
              doc: JSON.stringify(doc),
              created_at: now,
              updated_at: now,
            };
            await trx.insertInto('sdk_keys').values(created).execute();
            const after = auditedSdkKey(project.key, env.key, created);
            await recordAudit(trx, request.actor, now, sdkKeyAudit(project.key, env.key, created, 'createSdkKey', `created the ${kind === 'sdk' ? 'SDK' : 'mobile'} key ${body.name}`, { after }));
            return created;
          }),
        `SDK key "${body.key}" already exists in environment "${request.params.environmentKey}"`,
      );
      return reply.code(201).send(representSdkKey(project.key, request.params.environmentKey, row));
    },
  );
}
