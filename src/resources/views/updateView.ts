// PATCH /api/v2/projects/{projectKey}/views/{viewKey} (beta) — change a view's name, description, tags, maintainer,
// generateSdkKeys or archived: 200 with it, version one more and updatedAt now when something changed (an audit
// entry in the same transaction); nothing recorded when nothing did. The body is LaunchDarkly's ViewPatch (the
// fields to replace, as Terraform's provider sends it), or a JSON Patch (bare or `{comment, patch}`, as the
// provider's earlier versions sent) or `{comment?, merge}`. The key is read-only.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, isObject, readComment, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { representOneView } from './answer.js';
import { checkMaintainer, findView, ONE_MAINTAINER, PatchedView, VIEW_PATCH_RULES, viewDoc, type ViewDoc, type ViewRow } from './model.js';
import { viewAudit, viewPlace } from './represent.js';

/**
 * A ViewPatch (the fields to replace) is a merge patch of them, naming one maintainer at most; the other forms are
 * read as they are.
 */
function asEdit(body: unknown): unknown {
  if (!isObject(body) || Object.hasOwn(body, 'patch') || Object.hasOwn(body, 'merge')) return body;
  const comment = readComment(body);
  const { comment: _comment, ...fields } = body;
  if (maintainerOf(fields.maintainerId) && maintainerOf(fields.maintainerTeamKey)) throw validationFailed([ONE_MAINTAINER]);
  return { ...(comment !== undefined ? { comment } : {}), merge: fields };
}

/** An empty or null maintainer names none. */
function maintainerOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The maintainer after the patch: one that the patch set replaces the other (a view has one); both set by the
 * patch is a 400, as LaunchDarkly's "only one of maintainerId or maintainerTeamKey".
 */
function settleMaintainer(before: ViewDoc, patched: Record<string, unknown>): { maintainerId?: string; maintainerTeamKey?: string } {
  const maintainerId = maintainerOf(patched.maintainerId);
  const maintainerTeamKey = maintainerOf(patched.maintainerTeamKey);
  if (!maintainerId || !maintainerTeamKey) return { maintainerId, maintainerTeamKey };
  const memberSet = maintainerId !== before.maintainerId;
  const teamSet = maintainerTeamKey !== before.maintainerTeamKey;
  if (memberSet && !teamSet) return { maintainerId };
  if (teamSet && !memberSet) return { maintainerTeamKey };
  throw validationFailed([ONE_MAINTAINER]);
}

export function updateView(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; viewKey: string } }>('/api/v2/projects/:projectKey/views/:viewKey', { config: { beta: true } }, async (request) => {
    const edit = readResourceEdit(asEdit(request.body), VIEW_PATCH_RULES, 'view');
    const project = await deps.catalog.project(request.params.projectKey);
    const place = viewPlace(deps.accountId, project);
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const row = await findView(trx, project, request.params.viewKey, deps.store);
      const old = viewDoc(row);
      const before = await representOneView(trx, row, place);
      const base = { ...before, ...(old.maintainerId ? { maintainerId: old.maintainerId } : {}), ...(old.maintainerTeamKey ? { maintainerTeamKey: old.maintainerTeamKey } : {}) };
      const patched = applyResourcePatch(base, edit.operations(base), VIEW_PATCH_RULES);
      for (const member of ['maintainerId', 'maintainerTeamKey']) if (patched[member] === null) delete patched[member];
      const { name, description, generateSdkKeys, tags, archived, maintainerId, maintainerTeamKey } = patched;
      const errors = check(PatchedView, { name, description, generateSdkKeys, tags, archived, maintainerId, maintainerTeamKey });
      if (errors.length > 0) throw validationFailed(errors);
      const maintainer = settleMaintainer(old, patched);
      const problems = await checkMaintainer(trx, {
        ...(maintainer.maintainerId !== old.maintainerId ? { maintainerId: maintainer.maintainerId } : {}),
        ...(maintainer.maintainerTeamKey !== old.maintainerTeamKey ? { maintainerTeamKey: maintainer.maintainerTeamKey } : {}),
      });
      if (problems.length > 0) throw validationFailed(problems);

      const doc: ViewDoc = {
        description: description as string,
        generateSdkKeys: generateSdkKeys as boolean,
        tags: [...new Set(tags as string[])],
        ...(maintainer.maintainerId ? { maintainerId: maintainer.maintainerId } : {}),
        ...(maintainer.maintainerTeamKey ? { maintainerTeamKey: maintainer.maintainerTeamKey } : {}),
        archived: archived as boolean,
        ...(archived === true ? { archivedAt: old.archived ? old.archivedAt : now } : {}),
        version: old.version,
        updatedAt: old.updatedAt,
      };
      if (name === row.name && deepEqual(doc, old)) return before;
      doc.version = old.version + 1;
      doc.updatedAt = now;
      const next: ViewRow = { ...row, name: name as string, doc: JSON.stringify(doc) };
      await trx.updateTable('views').set({ name: next.name, doc: next.doc }).where('id', '=', row.id).execute();
      const after = await representOneView(trx, next, place);
      const extra = { ...(edit.comment !== undefined ? { comment: edit.comment } : {}), delta: edit.delta, before, after };
      await recordAudit(trx, request.actor, now, viewAudit(project.key, next, 'updateView', `updated the view ${next.name}`, extra));
      return after;
    });
  });
}
