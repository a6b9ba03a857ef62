// What a flag change would break: patchFeatureFlag answers 400 when "a flag configuration change made through this
// endpoint would cause a pending scheduled change or approval request to fail" (LaunchDarkly's "Conflicts"), unless
// `ignoreConflicts=true`. A pending change conflicts when its instructions apply to the flag as it is and no longer to
// the flag as the change would leave it: one that already fails is not this change's doing.
import { ApiError } from '../../http/errors.js';
import { SEMANTIC_PATCH_TYPE } from '../../http/patch/semanticPatch.js';
import type { Trx } from '../../store/db.js';
import { parseFlagUpdate, type UpdateContext } from './update.js';

interface PendingChange {
  what: string;
  environmentKey: string;
  instructions: Record<string, unknown>[];
}

/**
 * The flag's schedules and its approval requests not yet applied (nor declined), in the environments given. A copy
 * request is left out: its instructions only show what it copies, and applying it replaces what it copies whatever the
 * flag is then. A request applied for later is a schedule by then, counted as one.
 */
async function pendingChanges(trx: Trx, flagId: string, environments: { id: string; key: string }[]): Promise<PendingChange[]> {
  const keyOf = new Map(environments.map((env) => [env.id, env.key]));
  const [schedules, requests] = await Promise.all([
    trx.selectFrom('flag_scheduled_changes').select(['id', 'environment_id', 'doc']).where('flag_id', '=', flagId).execute(),
    trx.selectFrom('flag_approval_requests').select(['id', 'environment_id', 'doc']).where('flag_id', '=', flagId).where('status', '=', 'pending').where('review_status', '!=', 'declined').execute(),
  ]);
  const out: PendingChange[] = [];
  for (const [rows, what] of [
    [schedules, 'scheduled change'],
    [requests, 'approval request'],
  ] as const) {
    for (const row of rows) {
      const environmentKey = keyOf.get(row.environment_id);
      const doc = JSON.parse(row.doc) as { instructions?: Record<string, unknown>[]; copy?: unknown };
      if (environmentKey === undefined || doc.copy !== undefined || !Array.isArray(doc.instructions)) continue;
      out.push({ what: `${what} ${row.id}`, environmentKey, instructions: doc.instructions });
    }
  }
  return out;
}

/** Why the change's instructions would not apply to the representation (their 4xx's message); undefined if they would. */
async function applies(change: PendingChange, rep: Record<string, unknown>, context: UpdateContext): Promise<string | undefined> {
  try {
    await parseFlagUpdate({ environmentKey: change.environmentKey, instructions: change.instructions }, SEMANTIC_PATCH_TYPE).apply(rep, context);
    return undefined;
  } catch (err) {
    if (err instanceof ApiError && err.statusCode < 500) return err.message;
    throw err;
  }
}

/** The 400 of a change from `before` to `after` that would make a pending schedule or approval request fail. */
export async function refuseConflicts(trx: Trx, flagId: string, environments: { id: string; key: string }[], before: Record<string, unknown>, after: Record<string, unknown>, context: UpdateContext): Promise<void> {
  const broken: string[] = [];
  for (const change of await pendingChanges(trx, flagId, environments)) {
    if ((await applies(change, before, context)) !== undefined) continue;
    const failure = await applies(change, after, context);
    if (failure !== undefined) broken.push(`${change.what} in "${change.environmentKey}" (${failure})`);
  }
  if (broken.length === 0) return;
  throw new ApiError(400, 'invalid_request', `This change would make pending changes of the flag fail: ${broken.join('; ')}. Send ignoreConflicts=true to make it anyway`);
}
