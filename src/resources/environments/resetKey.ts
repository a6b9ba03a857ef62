// Replacing an environment's SDK or mobile key (admin): the shared body of resetEnvironmentSDKKey and resetEnvironmentMobileKey.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseEpochMillisParam } from '../../http/filter.js';
import { refuseBody } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { lockEnvironment, mobileKey, representEnvironment, retireSdkKey, sdkKey, type EnvironmentRow } from './environments.js';

type Which = 'sdk' | 'mobile';

export function resetKey(app: FastifyInstance, deps: Deps, which: Which): void {
  app.post<{ Params: { projectKey: string; environmentKey: string } }>(
    `/api/v2/projects/:projectKey/environments/:environmentKey/${which === 'sdk' ? 'apiKey' : 'mobileKey'}`,
    { config: { noBody: true } },
    async (request) => {
      refuseBody(request.body);
      // Until `expiry` the old SDK key works beside the new one; without it (or at a time past) it stops at once.
      const expiry = which === 'sdk' ? parseEpochMillisParam((request.query as Record<string, unknown>).expiry, 'expiry') : undefined;
      const project = await findProject(deps.store.db, request.params.projectKey);
      const now = deps.now();
      const row = await deps.store.tx(async (trx) => {
        const env = await lockEnvironment(trx, deps.store, project, request.params.environmentKey);
        const next: EnvironmentRow = which === 'sdk' ? { ...env, sdk_key: sdkKey() } : { ...env, mobile_key: mobileKey() };
        await trx.updateTable('environments').set({ sdk_key: next.sdk_key, mobile_key: next.mobile_key }).where('id', '=', env.id).execute();
        if (which === 'sdk') await retireSdkKey(trx, env, expiry, now);
        await recordAudit(trx, request.actor, now, {
          kind: 'environment',
          resource: `proj/${project.key}:env/${env.key}`,
          action: which === 'sdk' ? 'updateApiKey' : 'updateMobileKey',
          name: env.name,
          description: `reset the ${which === 'sdk' ? 'SDK' : 'mobile'} key of the environment ${env.name}`,
          projectKey: project.key,
        });
        return next;
      });
      deps.changed({ kind: 'environment', projectId: project.id, id: row.id });
      return representEnvironment(project.key, row);
    },
  );
}
