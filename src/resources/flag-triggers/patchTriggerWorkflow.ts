// PATCH /api/v2/flags/{projectKey}/{featureFlagKey}/triggers/{environmentKey}/{id} — a semantic patch on a trigger:
// replaceTriggerActionInstructions, cycleTriggerUrl (a new URL, shown in this answer only; the old one stops
// working), disableTrigger, enableTrigger. All instructions apply or none; 200 with the trigger.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { refuseUnapprovedIn } from '../approvals/gate.js';
import { recordAudit } from '../audit-log/record.js';
import { flagEnvironmentAudit, flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { auditedTrigger, findTrigger, type FlagTriggerDoc, type FlagTriggerRow, newTriggerSecret, readActionInstructions, secretHash, triggerDoc, TRIGGERS_URL } from './model.js';
import { representTrigger, serverBase, triggerContext } from './represent.js';

const INSTRUCTIONS = {
  replaceTriggerActionInstructions: Type.Object({ kind: Type.Literal('replaceTriggerActionInstructions'), value: Type.Unknown() }),
  cycleTriggerUrl: Type.Object({ kind: Type.Literal('cycleTriggerUrl') }),
  disableTrigger: Type.Object({ kind: Type.Literal('disableTrigger') }),
  enableTrigger: Type.Object({ kind: Type.Literal('enableTrigger') }),
};

export function patchTriggerWorkflow(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: FlagInEnvironmentParams & { id: string } }>(`${TRIGGERS_URL}/:id`, async (request) => {
    const patch = readSemanticPatch(request.body, INSTRUCTIONS);
    const actions = patch.instructions.map((instruction) =>
      instruction.kind === 'replaceTriggerActionInstructions' ? readActionInstructions(instruction.value, `instructions[${instruction.index}].value`) : undefined,
    );
    const now = deps.now();
    const { row, place, secret } = await deps.store.tx(async (trx) => {
      const scope = await flagInEnvironment(deps, trx, request.params);
      const { flag, environment, place } = scope;
      const row = await findTrigger(trx, { flagId: flag.row.id, environmentId: environment.id, id: request.params.id }, deps.store);
      const old = triggerDoc(row);
      const doc: FlagTriggerDoc = structuredClone(old);
      let secret: string | undefined;
      patch.instructions.forEach((instruction, i) => {
        if (instruction.kind === 'replaceTriggerActionInstructions') doc.instructions = actions[i]!;
        else if (instruction.kind === 'cycleTriggerUrl') secret = newTriggerSecret();
        else doc.enabled = instruction.kind === 'enableTrigger';
      });
      if (secret === undefined && deepEqual(doc, old)) return { row, place, secret };
      // New actions, or a disabled trigger armed again, change the flag later unasked: as making one does.
      if (doc.enabled && (!old.enabled || !deepEqual(doc.instructions, old.instructions))) await refuseUnapprovedIn(deps, request.actor, scope);
      doc.version = old.version + 1;
      const next: FlagTriggerRow = { ...row, doc: JSON.stringify(doc), ...(secret !== undefined ? { secret_hash: secretHash(secret) } : {}) };
      await trx.updateTable('flag_triggers').set({ doc: next.doc, secret_hash: next.secret_hash }).where('id', '=', row.id).execute();
      const description = `updated a ${doc.integrationKey} trigger of the flag ${flag.doc.name} in ${place.environmentKey}`;
      const extra = { delta: { instructions: (request.body as { instructions: unknown }).instructions }, ...(patch.comment !== undefined ? { comment: patch.comment } : {}) };
      await recordAudit(trx, request.actor, now, flagEnvironmentAudit(place, flag.doc.name, 'updateTriggers', description, { before: auditedTrigger(row), after: auditedTrigger(next) }, extra));
      return { row: next, place, secret };
    });
    return representTrigger(row, place, await triggerContext(deps.store.db, serverBase(request), [row], secret));
  });
}
