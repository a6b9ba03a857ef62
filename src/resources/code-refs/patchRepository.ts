// PATCH /api/v2/code-refs/repositories/{repo} — a JSON Patch (bare or `{comment, patch}`) or a JSON merge patch of a
// repository's settings. ld-find-code-refs sends the merge patch as the body itself (RFC 7386), so a body that is an
// object naming neither `patch` nor `merge` is one. A change moves `version` on; 200 with the repository.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, isObject, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { findRepository, PatchedRepository, READ_ONLY_REPOSITORY_FIELDS, repositoryDoc, WRITABLE_REPOSITORY_FIELDS, type RepositoryDoc } from './model.js';
import { repositoryAudit, representRepository } from './represent.js';

const RULES = { writable: WRITABLE_REPOSITORY_FIELDS, readOnly: READ_ONLY_REPOSITORY_FIELDS };

export function patchRepository(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { repo: string } }>('/api/v2/code-refs/repositories/:repo', async (request) => {
    const body = request.body;
    const bareMerge = isObject(body) && !Object.hasOwn(body, 'patch') && !Object.hasOwn(body, 'merge');
    const edit = readResourceEdit(bareMerge ? { merge: body } : body, RULES, 'repository');
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const row = await findRepository(trx, request.params.repo, deps.store);
      const before = representRepository(row);
      const patched = applyResourcePatch(before, edit.operations(before), RULES);
      const fields = Object.fromEntries(WRITABLE_REPOSITORY_FIELDS.filter((f) => patched[f] !== undefined).map((f) => [f, patched[f]]));
      const errors = check(PatchedRepository, fields);
      if (errors.length > 0) throw validationFailed(errors);
      const doc = fields as unknown as RepositoryDoc;
      const old = repositoryDoc(row);
      if (deepEqual(doc, old)) return before;
      const next = { ...row, doc: JSON.stringify(doc), version: Number(row.version) + 1 };
      await trx.updateTable('code_ref_repositories').set({ doc: next.doc, version: next.version }).where('name', '=', row.name).execute();
      const after = representRepository(next);
      // Turning scanning on or off is its own action, as LaunchDarkly's custom roles have it.
      const action = doc.enabled !== old.enabled ? 'updateCodeRefsRepositoryOn' : 'updateCodeRefsRepositoryConfiguration';
      const extra = { ...(edit.comment !== undefined ? { comment: edit.comment } : {}), delta: edit.delta, before, after };
      await recordAudit(trx, request.actor, now, repositoryAudit(row.name, action, 'updated', extra));
      return after;
    });
  });
}
