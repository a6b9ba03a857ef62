// PATCH /api/v2/projects/{projectKey}/environments/{environmentKey} — a JSON Patch on an environment's settings (admin).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { findProject } from '../projects/projects.js';
import { approvalSettingsFor, readApprovalSettings, readResourceApprovalSettings, withApprovalSettings } from './approvalSettings.js';
import { lockEnvironment, representEnvironment, updateEnvironment, type EnvironmentDoc } from './environments.js';
import { EnvironmentPost } from './schemas.js';

// The members a creation body also sets; approvalSettings and resourceApprovalSettings, which only a patch sets, have
// rules of their own.
const SETTINGS = ['name', 'color', 'defaultTtl', 'secureMode', 'defaultTrackEvents', 'requireComments', 'confirmChanges', 'tags', 'critical'] as const;
const Patched = Type.Required(Type.Pick(EnvironmentPost, [...SETTINGS]));

const RULES = {
  writable: [...SETTINGS, 'approvalSettings', 'resourceApprovalSettings'],
  // The SDK and mobile keys change only through their reset operations.
  readOnly: ['_links', '_id', 'key', 'apiKey', 'mobileKey'],
};

export function patchEnvironment(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; environmentKey: string } }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey',
    async (request) => {
      const { ops, comment } = readPatchBody(request.body);
      const project = await findProject(deps.store.db, request.params.projectKey);
      const now = deps.now();
      const result = await deps.store.tx(async (trx) => {
        const row = await lockEnvironment(trx, deps.store, project, request.params.environmentKey);
        const before = representEnvironment(project.key, row);
        const patched = applyResourcePatch(before, ops, RULES);
        const fields = Object.fromEntries(SETTINGS.map((field) => [field, patched[field]]));
        const approvals = readApprovalSettings(patched.approvalSettings);
        const resources = readResourceApprovalSettings(patched.resourceApprovalSettings);
        const errors = [...check(Patched, fields), ...(approvals.settings ? [] : approvals.errors), ...(resources.settings ? [] : resources.errors)];
        if (errors.length > 0 || !approvals.settings || !resources.settings) throw validationFailed(errors);
        const { name, ...settings } = fields as unknown as { name: string } & EnvironmentDoc;
        const old = JSON.parse(row.doc) as EnvironmentDoc;
        let doc: EnvironmentDoc = { ...old, ...settings };
        // Compared with what the environment has, defaults included: settings left as they were are not written.
        for (const [kind, next] of [['flag', approvals.settings], ['segment', resources.settings.segment], ['aiconfig', resources.settings.aiconfig]] as const) {
          if (!deepEqual(next, approvalSettingsFor(old, kind))) doc = withApprovalSettings(doc, kind, next);
        }
        if (name === row.name && deepEqual(doc, old)) return { row, changed: false };
        const next = await updateEnvironment(trx, request.actor, now, project.key, row, { name, doc }, { delta: ops, ...(comment !== undefined ? { comment } : {}) });
        return { row: next, changed: true };
      });
      if (result.changed) deps.changed({ kind: 'environment', projectId: project.id, id: result.row.id });
      return representEnvironment(project.key, result.row);
    },
  );
}
