// PATCH /api/v2/destinations/{projectKey}/{environmentKey}/{id} — a JSON Patch (bare or `{comment, patch}`) or a
// merge patch (`{comment?, merge}`) on a destination's name, config or on: 200 with it. Terraform replaces /name,
// /kind (unchanged: the kind is read-only), /on and /config. A change raises `version` by one; none records nothing.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import {
  configProblems,
  DESTINATION_FIELD_ACTIONS,
  DESTINATION_PATCH_RULES,
  DESTINATION_URL,
  destinationDoc,
  destinationScope,
  findDestination,
  snowflakePublicKeys,
  maskedDelta,
  PatchedDestination,
  unmaskConfig,
  type DestinationDoc,
  type DestinationKind,
  type DestinationParams,
  type DestinationRow,
} from './model.js';
import { destinationAudit, representDestination } from './represent.js';

export function patchDestination(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: DestinationParams & { id: string } }>(`${DESTINATION_URL}/:id`, async (request) => {
    const edit = readResourceEdit(request.body, DESTINATION_PATCH_RULES, 'destination');
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const { environmentId, place } = await destinationScope(trx, request.params);
      const row = await findDestination(trx, environmentId, request.params.id, deps.store);
      const before = representDestination(row, place);
      const patched = applyResourcePatch(before, edit.operations(before), DESTINATION_PATCH_RULES);
      const errors = check(PatchedDestination, { name: patched.name, config: patched.config, on: patched.on });
      if (errors.length > 0) throw validationFailed(errors);

      const old = destinationDoc(row);
      const kind = row.kind as DestinationKind;
      const config = unmaskConfig(patched.config as Record<string, unknown>, old.config);
      const publicKeys = kind === 'snowflake-v2' ? await snowflakePublicKeys(trx, environmentId) : [];
      const problems = configProblems(kind, config, publicKeys);
      if (problems.length > 0) throw validationFailed(problems);

      const doc: DestinationDoc = { name: patched.name as string, config, on: patched.on as boolean, version: old.version, ...(old.maintainerId !== undefined ? { maintainerId: old.maintainerId } : {}) };
      const changed = (Object.keys(DESTINATION_FIELD_ACTIONS) as (keyof typeof DESTINATION_FIELD_ACTIONS)[]).find((field) => !deepEqual(doc[field], old[field]));
      if (!changed) return before;
      doc.version = old.version + 1;
      const next: DestinationRow = { ...row, doc: JSON.stringify(doc) };
      await trx.updateTable('destinations').set({ doc: next.doc }).where('id', '=', row.id).execute();
      const after = representDestination(next, place);
      const extra = { ...(edit.comment !== undefined ? { comment: edit.comment } : {}), delta: maskedDelta(edit.delta), before, after };
      await recordAudit(trx, request.actor, now, destinationAudit(next, place, DESTINATION_FIELD_ACTIONS[changed], 'updated', extra));
      return after;
    });
  });
}
