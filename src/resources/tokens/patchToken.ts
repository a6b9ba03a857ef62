// PATCH /api/v2/tokens/{id} — a JSON Patch on a token's name, description, role, custom and inline roles or default API
// version (admin).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps, Role } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { StringEnum } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { CUSTOM, readGrants, refuseEscalation } from './grants.js';
import { representToken } from './represent.js';
import { lockToken, makerOf, TOKEN_API_VERSIONS, tokenResource, type TokenDoc, type TokenRow } from './tokens.js';

const Patched = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 256 })),
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  role: Type.Optional(StringEnum(['reader', 'writer', 'admin'] as const)),
  defaultApiVersion: Type.Integer(),
  // Absent after a `remove` (Terraform's launchdarkly_access_token removes the grants it no longer uses): none.
  customRoleIds: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  inlineRole: Type.Optional(Type.Array(Type.Unknown())),
});

const RULES = {
  writable: ['name', 'description', 'role', 'defaultApiVersion', 'customRoleIds', 'inlineRole'],
  readOnly: ['_id', 'ownerId', 'memberId', 'creationDate', 'lastModified', 'token', 'serviceToken', '_links', 'lastUsed', '_member'],
};

export function patchToken(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { id: string } }>('/api/v2/tokens/:id', { config: { role: 'admin' } }, async (request) => {
    const { ops, comment } = readPatchBody(request.body);
    const now = deps.now();
    const result = await deps.store.tx(async (trx) => {
      const row = await lockToken(trx, deps.store, request.params.id);
      const before = representToken(row, deps.accountId);
      const patched = applyResourcePatch(before, ops, RULES);
      const fields = Object.fromEntries(RULES.writable.filter((f) => patched[f] !== undefined && patched[f] !== null).map((f) => [f, patched[f]]));
      const errors: FieldError[] = check(Patched, fields);
      if (typeof fields.defaultApiVersion === 'number' && !TOKEN_API_VERSIONS.includes(fields.defaultApiVersion)) {
        errors.push({ attribute: 'defaultApiVersion', reason: `must be one of ${TOKEN_API_VERSIONS.join(', ')}` });
      }
      const governed = (field: string) => Array.isArray(fields[field]) && (fields[field] as unknown[]).length > 0;
      if (before.role !== undefined && fields.role === undefined && !governed('customRoleIds') && !governed('inlineRole')) {
        errors.push({ attribute: 'role', reason: 'cannot be removed: a token holds a built-in role, custom roles or an inline role (replace it, or give customRoleIds)' });
      }
      if (errors.length > 0) throw validationFailed(errors);
      // Giving custom or inline roles to a token with a built-in role replaces that role, unless the patch also set it.
      const builtIn = row.role === CUSTOM ? undefined : (row.role as Role);
      const grants = await readGrants(trx, deps.store.kind, { ...fields, role: fields.role === before.role && builtIn ? undefined : fields.role }, builtIn);
      const old = JSON.parse(row.doc) as TokenDoc;
      // Only a change of grants can reach further than the caller; renaming a token it may manage is no escalation.
      const regranted = grants.role !== row.role || !deepEqual(grants.customRoleIds, old.customRoleIds ?? []) || !deepEqual(grants.inlineRole, old.inlineRole ?? []);
      if (regranted) refuseEscalation(request.actor, grants);
      const { name: _name, description: _description, customRoleIds: _ids, inlineRole: _inline, ...kept } = old;
      const doc: TokenDoc = {
        ...kept,
        ...(fields.name !== undefined ? { name: fields.name as string } : {}),
        ...(fields.description !== undefined ? { description: fields.description as string } : {}),
        defaultApiVersion: fields.defaultApiVersion as number,
        ...(grants.customRoleIds.length > 0 ? { customRoleIds: grants.customRoleIds } : {}),
        ...(grants.inlineRole.length > 0 ? { inlineRole: grants.inlineRole } : {}),
      };
      const role = grants.role;
      if (role === row.role && deepEqual(doc, old)) return { row, changed: false };
      const next: TokenRow = { ...row, role, doc: JSON.stringify(doc), last_modified: now };
      await trx.updateTable('tokens').set({ role, doc: next.doc, last_modified: now }).where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, {
        kind: 'token',
        resource: tokenResource(row),
        action: 'updateAccessToken',
        name: doc.name ?? row.id,
        description: `updated the access token ${doc.name ?? row.id}`,
        ...(comment !== undefined ? { comment } : {}),
        delta: ops,
        before,
        after: representToken(next, deps.accountId),
      });
      return { row: next, changed: true };
    });
    // The role or API version a token carries is read from the authenticator's cache: drop it so the next request sees the change.
    if (result.changed) deps.changed({ kind: 'token', id: result.row.id });
    return representToken(result.row, deps.accountId, undefined, undefined, await makerOf(deps.store.db, result.row));
  });
}
