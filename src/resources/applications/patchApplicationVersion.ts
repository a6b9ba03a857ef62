// PATCH /api/v2/applications/{applicationKey}/versions/{versionKey} (beta) — a JSON Patch (bare, `{comment, patch}`,
// or a `{merge}` merge patch) on a version's `supported` (writer): 200 with the version, `_version` one more when it
// changed; one audit entry in the same transaction. `"true"` and `"false"` are taken as the booleans, as
// LaunchDarkly's own example sends them.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { applyResourcePatch, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { findApplicationVersion, READ_ONLY_VERSION_FIELDS, VERSION_FIELD_ACTIONS, type ApplicationVersionRow } from './model.js';
import { applicationVersionAudit, representApplicationVersion } from './represent.js';

const RULES = { writable: Object.keys(VERSION_FIELD_ACTIONS), readOnly: READ_ONLY_VERSION_FIELDS };

function supportedOf(value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw validationFailed([{ attribute: 'supported', reason: 'must be true or false' }]);
}

export function patchApplicationVersion(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { applicationKey: string; versionKey: string } }>('/api/v2/applications/:applicationKey/versions/:versionKey', { config: { beta: true } }, async (request) => {
    const edit = readResourceEdit(request.body, RULES, 'application version');
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const row = await findApplicationVersion(trx, request.params.applicationKey, request.params.versionKey, deps.store);
      const before = representApplicationVersion(row);
      const supported = supportedOf(applyResourcePatch(before, edit.operations(before), RULES).supported) ? 1 : 0;
      if (supported === row.supported) return before;
      const next: ApplicationVersionRow = { ...row, supported, version: row.version + 1 };
      await trx.updateTable('application_versions').set({ supported, version: next.version }).where('application_key', '=', row.application_key).where('key', '=', row.key).execute();
      const after = representApplicationVersion(next);
      const extra = { ...(edit.comment !== undefined ? { comment: edit.comment } : {}), delta: edit.delta, before, after };
      await recordAudit(trx, request.actor, now, applicationVersionAudit(next, VERSION_FIELD_ACTIONS.supported, 'updated', extra));
      return after;
    });
  });
}
