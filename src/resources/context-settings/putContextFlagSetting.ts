// PUT /api/v2/projects/{projectKey}/environments/{environmentKey}/contexts/{contextKind}/{contextKey}/flags/{featureFlagKey}
// — serve a context one variation of a flag (individual targeting by its value), or with `setting` null or left
// out, take its own setting away; 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { isKind } from '../contexts/instances.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { contextSettingUpdate, readSettingBody } from './setting.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  contextKind: string;
  contextKey: string;
  featureFlagKey: string;
}

export function putContextFlagSetting(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/contexts/:contextKind/:contextKey/flags/:featureFlagKey', async (request, reply) => {
    const { projectKey, environmentKey, contextKind, contextKey, featureFlagKey } = request.params;
    const { project } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    if (!isKind(contextKind)) {
      throw validationFailed([{ attribute: 'contextKind', reason: `"${contextKind}" is not a context kind: use up to 256 letters, digits, ".", "_" and "-", and not "kind" or "multi"` }]);
    }
    if (contextKey === '') throw validationFailed([{ attribute: 'contextKey', reason: 'must not be empty' }]);
    const { setting, comment } = readSettingBody(request.body);
    const update = contextSettingUpdate({ environmentKey, contextKind, contextKey }, setting, comment);
    await commitFlagUpdate(deps, { project, flagKey: featureFlagKey, update, actor: request.actor, requireApproval: true });
    return reply.code(204).send();
  });
}
