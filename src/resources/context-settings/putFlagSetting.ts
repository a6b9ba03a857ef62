// PUT /api/v2/users/{projectKey}/{environmentKey}/{userKey}/flags/{featureFlagKey} — the legacy form of
// putContextFlagSetting for a user: serve the user one variation of a flag (`setting`: its value), or with `setting`
// null or left out, take its own setting away; 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { contextSettingUpdate, readSettingBody } from './setting.js';
import { checkUserKey, type UserParams } from './userSettings.js';

export function putFlagSetting(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: UserParams & { featureFlagKey: string } }>('/api/v2/users/:projectKey/:environmentKey/:userKey/flags/:featureFlagKey', async (request, reply) => {
    const { projectKey, environmentKey, userKey, featureFlagKey } = request.params;
    const { project } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    checkUserKey(userKey);
    const { setting, comment } = readSettingBody(request.body);
    const update = contextSettingUpdate({ environmentKey, contextKind: 'user', contextKey: userKey }, setting, comment);
    await commitFlagUpdate(deps, { project, flagKey: featureFlagKey, update, actor: request.actor, requireApproval: true });
    return reply.code(204).send();
  });
}
