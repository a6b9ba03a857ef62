// PATCH /api/v2/oauth/clients/{clientId} — change a client's name, description or redirectUri with a JSON Patch (bare,
// or `{comment, patch}`; a merge patch too): 200 with it, without its secret. Nothing is recorded when nothing changed.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { findOAuthClient, OAUTH_CLIENT_PATCH_RULES, oauthClientDoc, PatchedOAuthClient, redirectUriProblems, type OAuthClientDoc, type OAuthClientRow } from './model.js';
import { oauthClientAudit, representOAuthClient } from './represent.js';

export function patchOAuthClient(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { clientId: string } }>('/api/v2/oauth/clients/:clientId', { config: { role: 'admin' } }, async (request) => {
    const edit = readResourceEdit(request.body, OAUTH_CLIENT_PATCH_RULES, 'OAuth 2.0 client');
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const row = await findOAuthClient(trx, request.params.clientId, deps.store);
      const old = oauthClientDoc(row);
      const before = representOAuthClient(row, deps.accountId);
      const patched = applyResourcePatch(before, edit.operations(before), OAUTH_CLIENT_PATCH_RULES);
      if (patched.description === null) delete patched.description;
      const { name, redirectUri, description } = patched;
      const errors = check(PatchedOAuthClient, { name, redirectUri, ...(description !== undefined ? { description } : {}) });
      if (errors.length > 0) throw validationFailed(errors);
      const problems = redirectUriProblems(redirectUri as string);
      if (problems.length > 0) throw validationFailed(problems);
      const doc: OAuthClientDoc = { ...(description !== undefined ? { description: description as string } : {}), redirectUri: redirectUri as string, secretHash: old.secretHash };
      if (name === row.name && deepEqual(doc, old)) return before;
      const next: OAuthClientRow = { ...row, name: name as string, doc: JSON.stringify(doc) };
      await trx.updateTable('oauth_clients').set({ name: next.name, doc: next.doc }).where('id', '=', row.id).execute();
      const after = representOAuthClient(next, deps.accountId);
      const extra = { ...(edit.comment !== undefined ? { comment: edit.comment } : {}), delta: edit.delta, before, after };
      await recordAudit(trx, request.actor, now, oauthClientAudit(next, 'updateOAuthClient', `updated the OAuth 2.0 client ${next.name}`, extra));
      return after;
    });
  });
}
