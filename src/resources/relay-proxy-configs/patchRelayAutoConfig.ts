// PATCH /api/v2/account/relay-auto-configs/{id} — a JSON Patch (or `{merge}` merge patch) on a Relay Proxy
// configuration's name or policy (admin): 200 with the configuration. Relay Proxies streaming with its key are sent
// the environments the new policy adds and told of those it takes away.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { normalStatement, statementProblems, Statements } from '../custom-roles/model.js';
import type { Statement } from '../custom-roles/policy.js';
import { findRelayAutoConfig, READ_ONLY_RELAY_FIELDS, RELAY_FIELD_ACTIONS, RelayName, relayDoc, WRITABLE_RELAY_FIELDS, type RelayAutoConfigDoc, type RelayAutoConfigRow } from './model.js';
import { relayAudit, representRelayAutoConfigOf } from './represent.js';

const RULES = { writable: WRITABLE_RELAY_FIELDS, readOnly: READ_ONLY_RELAY_FIELDS };
const Patched = Type.Object({ name: RelayName, policy: Statements });

export function patchRelayAutoConfig(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { id: string } }>('/api/v2/account/relay-auto-configs/:id', { config: { role: 'admin' } }, async (request) => {
    const edit = readResourceEdit(request.body, RULES, 'Relay Proxy configuration');
    const now = deps.now();
    const result = await deps.store.tx(async (trx) => {
      const row = await findRelayAutoConfig(trx, request.params.id, deps.store);
      const before = await representRelayAutoConfigOf(trx, row);
      const patched = applyResourcePatch(before, edit.operations(before), RULES);
      const fields = { name: patched.name, policy: patched.policy };
      const errors = check(Patched, fields);
      if (errors.length === 0) errors.push(...statementProblems(fields.policy as Statement[], 'policy'));
      if (errors.length > 0) throw validationFailed(errors);

      const old = relayDoc(row);
      const doc: RelayAutoConfigDoc = { ...old, name: fields.name as string, policy: (fields.policy as Statement[]).map(normalStatement) };
      const changed = (Object.keys(RELAY_FIELD_ACTIONS) as (keyof typeof RELAY_FIELD_ACTIONS)[]).find((field) => !deepEqual(doc[field], old[field]));
      if (!changed) return { row, rep: before, changed: false };
      const next: RelayAutoConfigRow = { ...row, doc: JSON.stringify(doc), last_modified: now };
      await trx.updateTable('relay_auto_configs').set({ doc: next.doc, last_modified: now }).where('id', '=', row.id).execute();
      const rep = await representRelayAutoConfigOf(trx, next);
      const extra = { ...(edit.comment !== undefined ? { comment: edit.comment } : {}), delta: edit.delta, before, after: rep };
      await recordAudit(trx, request.actor, now, relayAudit(next, RELAY_FIELD_ACTIONS[changed], 'updated', extra));
      return { row: next, rep, changed: true };
    });
    if (result.changed) deps.changed({ kind: 'relay-auto-config', id: result.row.id });
    return result.rep;
  });
}
