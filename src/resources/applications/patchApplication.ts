// PATCH /api/v2/applications/{applicationKey} (beta) — a JSON Patch (bare, `{comment, patch}`, or a `{merge}` merge
// patch) on an application's description or kind (writer): 200 with the application, `_version` one more when
// something changed; one audit entry in the same transaction.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { applyResourcePatch, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { APPLICATION_FIELD_ACTIONS, APPLICATION_KINDS, findApplication, READ_ONLY_APPLICATION_FIELDS, type ApplicationRow } from './model.js';
import { applicationAudit, representApplication } from './represent.js';

const RULES = { writable: Object.keys(APPLICATION_FIELD_ACTIONS), readOnly: READ_ONLY_APPLICATION_FIELDS };
/** As long as a flag's description may be. */
const MAX_DESCRIPTION_LENGTH = 8_192;

function problems(patched: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const { description, kind } = patched;
  if (description !== undefined && description !== null && typeof description !== 'string') errors.push({ attribute: 'description', reason: 'must be a string' });
  else if (typeof description === 'string' && description.length > MAX_DESCRIPTION_LENGTH) errors.push({ attribute: 'description', reason: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` });
  if (!APPLICATION_KINDS.includes(kind as never)) errors.push({ attribute: 'kind', reason: `must be one of ${APPLICATION_KINDS.join(', ')}` });
  return errors;
}

export function patchApplication(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { applicationKey: string } }>('/api/v2/applications/:applicationKey', { config: { beta: true } }, async (request) => {
    const edit = readResourceEdit(request.body, RULES, 'application');
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const row = await findApplication(trx, request.params.applicationKey, deps.store);
      const before = representApplication(row);
      const patched = applyResourcePatch(before, edit.operations(before), RULES);
      const errors = problems(patched);
      if (errors.length > 0) throw validationFailed(errors);

      const description = typeof patched.description === 'string' ? patched.description : null;
      const kind = patched.kind as string;
      const changed = [description !== row.description ? 'description' : undefined, kind !== row.kind ? 'kind' : undefined].filter((f): f is keyof typeof APPLICATION_FIELD_ACTIONS => f !== undefined);
      if (changed.length === 0) return before;
      const next: ApplicationRow = { ...row, description, kind, version: row.version + 1 };
      await trx.updateTable('applications').set({ description, kind, version: next.version }).where('key', '=', row.key).execute();
      const after = representApplication(next);
      const extra = { ...(edit.comment !== undefined ? { comment: edit.comment } : {}), delta: edit.delta, before, after };
      await recordAudit(trx, request.actor, now, applicationAudit(next, APPLICATION_FIELD_ACTIONS[changed[0]], 'updated', extra));
      return after;
    });
  });
}
