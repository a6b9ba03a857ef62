// PATCH /api/v2/approval-requests/projects/{projectKey}/settings (beta) — changes the approval settings of one
// resource kind in one environment (an ApprovalRequestSettingsPatch): 200 with the project's settings.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { approvalSettingsFor, withApprovalSettings } from '../environments/approvalSettings.js';
import { lockEnvironment, updateEnvironment, type EnvironmentDoc } from '../environments/environments.js';
import { findProject } from '../projects/projects.js';
import { projectSettings, SETTINGS_URL } from './getApprovalRequestSettings.js';
import { patchedSettings, readSettingsPatch, RESOURCE_KINDS } from './settings.js';

export function patchApprovalRequestSettings(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string } }>(SETTINGS_URL, { config: { beta: true, optionalBody: true } }, async (request) => {
    const patch = readSettingsPatch(request.body);
    const project = await findProject(deps.store.db, request.params.projectKey);
    const now = deps.now();
    const result = await deps.store.tx(async (trx) => {
      // Settings are the environment's (`approvalSettings` for flags, `resourceApprovalSettings.segment` for
      // segments): changed here, they are what patchEnvironment shows and what the approval gates enforce, and the
      // change is the environment update it would be there.
      const row = await lockEnvironment(trx, deps.store, project, patch.environmentKey);
      const doc = JSON.parse(row.doc) as EnvironmentDoc;
      const current = approvalSettingsFor(doc, patch.resourceKind);
      const next = patchedSettings(current, patch.members);
      const changed = !deepEqual(next, current);
      if (changed) await updateEnvironment(trx, request.actor, now, project.key, row, { name: row.name, doc: withApprovalSettings(doc, patch.resourceKind, next) }, { delta: request.body });
      return { environmentId: row.id, changed, settings: await projectSettings(trx, project, { resourceKinds: RESOURCE_KINDS, withDefault: false }) };
    });
    if (result.changed) deps.changed({ kind: 'environment', projectId: project.id, id: result.environmentId });
    return result.settings;
  });
}
