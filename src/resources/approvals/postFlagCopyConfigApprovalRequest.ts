// POST /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/approval-requests-flag-copy —
// ask for approval to copy the flag's settings from `source` into this environment (201). It is then one of the flag's
// requests in this environment: listed, reviewed, changed, applied (copyFeatureFlag's copy) and deleted as they are.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Actor, Deps } from '../../http/context.js';
import { objectBody, validationFailed } from '../../http/errors.js';
import { StringEnum } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { BOTH_ACTION_LISTS } from '../flags/copyFeatureFlag.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { copyChange, copyInstructions, REQUESTABLE_COPY_ACTIONS } from './copy.js';
import { readReviewers, type CopyAsked } from './model.js';
import { representFlagApproval } from './represent.js';
import { insertApproval, readRequestFields, type Outcome, type RequestInput } from './requests.js';
import { FLAG_COPY_APPROVALS_URL, placeOf } from './scope.js';

const Action = StringEnum(REQUESTABLE_COPY_ACTIONS);

/** The members of the body that say what to copy (description, comment and reviewers are every request's). */
const CopyAskedBody = Type.Object({
  source: Type.Object({ key: Type.String({ minLength: 1 }), version: Type.Optional(Type.Integer()) }),
  // An empty list would copy nothing, which is more likely a mistake than a wish (as for copyFeatureFlag).
  includedActions: Type.Optional(Type.Array(Action, { minItems: 1 })),
  excludedActions: Type.Optional(Type.Array(Action)),
});

/** The body read and checked against the request's environment, each mistake a 400 naming its field. */
async function readCopyInput(deps: Deps, body: unknown, environmentKey: string): Promise<RequestInput & { copy: CopyAsked }> {
  const input = objectBody(body, '{"description": ..., "source": {"key": ...}}');
  const errors = check(CopyAskedBody, input);
  const fields = readRequestFields(input, Object.keys(CopyAskedBody.properties), errors);
  if (errors.length === 0) {
    const asked = input as unknown as CopyAsked;
    if (asked.includedActions && asked.excludedActions) errors.push({ attribute: 'excludedActions', reason: BOTH_ACTION_LISTS });
    if (asked.source.key === environmentKey) errors.push({ attribute: 'source.key', reason: `must name another environment than the one the request is in ("${environmentKey}", the path's environmentKey)` });
  }
  if (errors.length > 0) throw validationFailed(errors);
  const { source, includedActions, excludedActions } = input as unknown as CopyAsked;
  const copy: CopyAsked = {
    source: { key: source.key, ...(source.version !== undefined ? { version: source.version } : {}) },
    ...(includedActions ? { includedActions } : {}),
    ...(excludedActions ? { excludedActions } : {}),
  };
  const notifyMemberIds = await readReviewers(deps.store.db, input.notifyMemberIds, input.notifyTeamKeys);
  return { ...fields, instructions: copyInstructions(copy), notifyMemberIds, copy };
}

/**
 * Creates a pending copy request. The copy must be one that could be made now: the source environment there, at the
 * version asked (a 409 otherwise), and nothing copied that the target cannot hold (a 400 or 409, as copyFeatureFlag's).
 */
async function createCopyApproval(deps: Deps, params: FlagInEnvironmentParams, body: unknown, actor: Actor | undefined): Promise<Outcome> {
  const input = await readCopyInput(deps, body, params.environmentKey);
  const checked = await flagInEnvironment(deps, deps.store.db, params);
  // Only this environment's targeting changes, and this is the request that approves it.
  await commitFlagUpdate(deps, {
    project: checked.project,
    flagKey: checked.place.flagKey,
    ...copyChange(checked.place, input.copy, input.comment),
    actor,
    dryRun: true,
    requireApproval: true,
    approvedIn: checked.place.environmentKey,
  });
  return insertApproval(deps, placeOf(params), input, actor);
}

export function postFlagCopyConfigApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: FlagInEnvironmentParams }>(FLAG_COPY_APPROVALS_URL, async (request, reply) => {
    const { row, scope, siblings } = await createCopyApproval(deps, request.params, request.body, request.actor);
    return reply.code(201).send(representFlagApproval(row, scope.place, siblings));
  });
}
