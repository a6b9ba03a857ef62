// POST /api/v2/flags/{projectKey}/{featureFlagKey}/triggers/{environmentKey} — a new trigger, enabled, maintained by
// the caller's member; 201 with it, and its URL in full (the only answer but cycleTriggerUrl's that shows it).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { refuseUnapprovedIn } from '../approvals/gate.js';
import { recordAudit } from '../audit-log/record.js';
import { flagEnvironmentAudit, flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { auditedTrigger, type FlagTriggerDoc, type FlagTriggerRow, integrationKeyProblem, newTriggerSecret, readActionInstructions, secretHash, TRIGGERS_URL } from './model.js';
import { representTrigger, serverBase, triggerContext } from './represent.js';

export function createTriggerWorkflow(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: FlagInEnvironmentParams }>(TRIGGERS_URL, async (request, reply) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationFailed([{ attribute: 'body', reason: 'must be an object {"integrationKey": ..., "instructions": [{"kind": "turnFlagOn"}]}' }]);
    const input = body as Record<string, unknown>;
    const problem = integrationKeyProblem(input.integrationKey);
    if (problem) throw validationFailed([{ attribute: 'integrationKey', reason: problem }]);
    if (input.comment !== undefined && typeof input.comment !== 'string') throw validationFailed([{ attribute: 'comment', reason: 'must be a string' }]);
    const instructions = readActionInstructions(input.instructions, 'instructions');
    const now = deps.now();
    const secret = newTriggerSecret();
    const { row, place } = await deps.store.tx(async (trx) => {
      const scope = await flagInEnvironment(deps, trx, request.params);
      await refuseUnapprovedIn(deps, request.actor, scope);
      const { flag, environment, place } = scope;
      const doc: FlagTriggerDoc = {
        integrationKey: input.integrationKey as string,
        instructions,
        enabled: true,
        maintainerId: request.actor?.memberId ?? deps.accountId,
        version: 1,
        ...(input.comment !== undefined && input.comment !== '' ? { comment: input.comment as string } : {}),
        triggerCount: 0,
        recentTriggerBodies: [],
      };
      const row: FlagTriggerRow = { id: objectId(now), flag_id: flag.row.id, environment_id: environment.id, secret_hash: secretHash(secret), doc: JSON.stringify(doc), created_at: now };
      await trx.insertInto('flag_triggers').values(row).execute();
      await recordAudit(trx, request.actor, now, flagEnvironmentAudit(place, flag.doc.name, 'createTriggers', `created a ${doc.integrationKey} trigger on the flag ${flag.doc.name} in ${place.environmentKey}`, { after: auditedTrigger(row) }));
      return { row, place };
    });
    return reply.code(201).send(representTrigger(row, place, await triggerContext(deps.store.db, serverBase(request), [row], secret)));
  });
}
