// DELETE /api/v2/projects/{projectKey}/environments/{environmentKey}/sdk-keys/{sdkKeyKey} (beta) — 204: the key stops
// working at once (401 on every SDK route), and the streams opened with it end (the environment's change notice makes
// every instance's SDK streams check the keys they were opened with).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { lockEnvironment } from '../environments/environments.js';
import { findProject } from '../projects/projects.js';
import { findSdkKey, sdkKeyDoc } from './model.js';
import { auditedSdkKey, sdkKeyAudit } from './represent.js';

export function deleteSdkKeyByKey(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; environmentKey: string; sdkKeyKey: string } }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/sdk-keys/:sdkKeyKey',
    { config: { beta: true } },
    async (request, reply) => {
      const project = await findProject(deps.store.db, request.params.projectKey);
      const now = deps.now();
      const env = await deps.store.tx(async (trx) => {
        const env = await lockEnvironment(trx, deps.store, project, request.params.environmentKey);
        const row = await findSdkKey(trx, env, project.key, request.params.sdkKeyKey, deps.store);
        await trx.deleteFrom('sdk_keys').where('id', '=', row.id).execute();
        const before = auditedSdkKey(project.key, env.key, row);
        await recordAudit(trx, request.actor, now, sdkKeyAudit(project.key, env.key, row, 'deleteSdkKey', `deleted the ${row.kind === 'sdk' ? 'SDK' : 'mobile'} key ${sdkKeyDoc(row).name}`, { before }));
        return env;
      });
      deps.changed({ kind: 'environment', projectId: project.id, id: env.id });
      return reply.code(204).send();
    },
  );
}
