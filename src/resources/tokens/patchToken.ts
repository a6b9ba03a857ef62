// PATCH /api/v2/tokens/{id} — a JSON Patch on a token's name, description, role or default API version (admin).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { StringEnum } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { representToken } from './represent.js';
import { lockToken, TOKEN_API_VERSIONS, type TokenDoc, type TokenRow } from './tokens.js';

const Patched = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 256 })),
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  role: StringEnum(['reader', 'writer', 'admin'] as const),
  defaultApiVersion: Type.Integer(),
  customRoleIds: Type.Array(Type.String(), { maxItems: 0 }),
  inlineRole: Type.Array(Type.Unknown(), { maxItems: 0 }),
});

const RULES = {
  writable: ['name', 'description', 'role', 'defaultApiVersion', 'customRoleIds', 'inlineRole'],
  readOnly: ['_id', 'ownerId', 'memberId', 'creationDate', 'lastModified', 'token', 'serviceToken', '_links', 'lastUsed'],
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
      for (const field of ['customRoleIds', 'inlineRole']) {
        if (errors.some((e) => e.attribute === field)) errors.splice(errors.findIndex((e) => e.attribute === field), 1, { attribute: field, reason: 'custom and inline roles are not supported by iterlab; use role reader, writer or admin' });
      }
      if (typeof fields.defaultApiVersion === 'number' && !TOKEN_API_VERSIONS.includes(fields.defaultApiVersion)) {
        errors.push({ attribute: 'defaultApiVersion', reason: `must be one of ${TOKEN_API_VERSIONS.join(', ')}` });
      }
      if (errors.length > 0) throw validationFailed(errors);
      const old = JSON.parse(row.doc) as TokenDoc;
      const { name: _name, description: _description, ...kept } = old;
      const doc: TokenDoc = {
        ...kept,
        ...(fields.name !== undefined ? { name: fields.name as string } : {}),
        ...(fields.description !== undefined ? { description: fields.description as string } : {}),
        defaultApiVersion: fields.defaultApiVersion as number,
      };
      const role = fields.role as string;
      if (role === row.role && deepEqual(doc, old)) return { row, changed: false };
      const next: TokenRow = { ...row, role, doc: JSON.stringify(doc), last_modified: now };
      await trx.updateTable('tokens').set({ role, doc: next.doc, last_modified: now }).where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, {
        kind: 'token',
        resource: `token/${row.id}`,
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
    return representToken(result.row, deps.accountId);
  });
}
