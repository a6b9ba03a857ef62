// PATCH /api/v2/engineering-insights/insights/groups/{insightGroupKey} (beta) — a JSON Patch (bare or `{comment,
// patch}`) on an insight group's name or applicationKeys (an empty list: every application): 200 with the group; a
// patch whose `test` fails is a 422, as LaunchDarkly documents for this operation. One audit entry.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError, patchFailed, validationFailed } from '../../http/errors.js';
import { applyResourcePatch, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { Name } from '../../http/schemas.js';
import { recordAudit } from '../audit-log/record.js';
import { requireProjectView, requireSomeProjectView } from './access.js';
import { ApplicationKeys } from './createInsightGroup.js';
import { findGroup, groupAudit, representGroup, type GroupDoc } from './groups.js';

const RULES = { writable: ['name', 'applicationKeys'], readOnly: ['key', 'projectKey', 'environmentKey', 'createdAt'] };

export function patchInsightGroup(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { insightGroupKey: string } }>('/api/v2/engineering-insights/insights/groups/:insightGroupKey', { config: { beta: true, validationErrors: true } }, async (request) => {
    await requireSomeProjectView(deps, request.actor);
    const edit = readResourceEdit(request.body, RULES, 'insight group');
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const group = await findGroup(trx, request.params.insightGroupKey, deps.store);
      await requireProjectView(deps, request.actor, group.row.project_id, `Insight group "${group.row.key}"`, trx);
      const before = representGroup(group);
      let patched: Record<string, unknown>;
      try {
        patched = applyResourcePatch(before, edit.operations(before), RULES);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'optimistic_locking_error') throw patchFailed(err.message);
        throw err;
      }
      const errors = [...check(Name, patched.name, 'name'), ...(patched.applicationKeys !== undefined ? check(ApplicationKeys, patched.applicationKeys, 'applicationKeys') : [])];
      if (errors.length > 0) throw validationFailed(errors);
      const keys = patched.applicationKeys as string[] | undefined;
      const doc: GroupDoc = keys && keys.length > 0 ? { applicationKeys: [...new Set(keys)] } : {};
      const name = patched.name as string;
      if (name === group.row.name && JSON.stringify(doc) === group.row.doc) return before;
      const row = { ...group.row, name, doc: JSON.stringify(doc) };
      await trx.updateTable('insight_groups').set({ name, doc: row.doc }).where('key', '=', row.key).execute();
      const updated = { ...group, row };
      const after = representGroup(updated);
      await recordAudit(trx, request.actor, now, { ...groupAudit(updated, 'updateInsightGroup', 'updated'), ...(edit.comment !== undefined ? { comment: edit.comment } : {}), delta: edit.delta, before, after });
      return after;
    });
  });
}
