// While an iteration runs it owns its flag rule (and, in a holdout, the flag's prerequisite on the holdout's flag):
// a flag write that would touch them is refused with 409.
import { conflict } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import type { FlagChange } from '../flags/guards.js';
import type { FlagConfigDoc } from '../flags/model.js';
import { statement } from '../../store/statements.js';
import type { IterationDoc } from './model.js';

// Every flag write runs this: written once as SQL (statements.ts says why); the status is a literal for the reason
// DRAFT_STATUS is (model.ts).
// With the holdout the experiment is in, if any: its id only, read from a row already joined (this runs on every
// flag write; the holdout itself is read only when a write changes a prerequisite).
const runningIterationsUsingFlag = statement<{ key: string; environment_id: string; environment_key: string; doc: string; holdout_id: string | null }>(
  'select "e"."key", "e"."environment_id", "env"."key" as "environment_key", "i"."doc", "e"."holdout_id" from "iterations" as "i" ' +
    'inner join "experiments" as "e" on "e"."id" = "i"."experiment_id" inner join "environments" as "env" on "env"."id" = "e"."environment_id" ' +
    `where "e"."project_id" = ? and "i"."status" = 'running' and exists (select "r"."key" from "experiment_refs" as "r" where "r"."iteration_id" = "i"."id" and "r"."kind" = 'flag' and "r"."key" = ?)`,
);
const holdoutById = statement<{ key: string; flag_key: string; doc: string }>('select "key", "flag_key", "doc" from "holdouts" where "id" = ?');

/**
 * A running experiment in a holdout that has not ended keeps its flags' prerequisites as its start left them (the
 * holdout's flag alone, lifecycle.ts): removing that one would let held-out contexts into the experiment, and another
 * would change who is in it mid-iteration.
 */
async function guardHoldoutPrerequisite(change: FlagChange, row: { key: string; environment_id: string; environment_key: string; holdout_id: string | null }): Promise<void> {
  if (row.holdout_id === null) return;
  const before = change.before.configs.get(row.environment_id)?.prerequisites ?? [];
  const after = change.after?.configs.get(row.environment_id)?.prerequisites ?? [];
  if (deepEqual(before, after)) return;
  const [holdout] = await holdoutById.run(change.trx, [row.holdout_id]);
  if (!holdout || (JSON.parse(holdout.doc) as { endedAt?: number }).endedAt !== undefined) return;
  throw conflict(
    `The prerequisites of flag "${change.flagKey}" in environment "${row.environment_key}" are those of holdout "${holdout.key}" (its flag "${holdout.flag_key}") while its experiment "${row.key}" runs; stop the experiment before changing them`,
  );
}

function ruleOf(config: FlagConfigDoc | undefined, ruleId: string): unknown {
  if (!config) return undefined;
  return ruleId === 'fallthrough' ? config.fallthrough : config.rules.find((r) => r._id === ruleId);
}

export async function guardRunningExperimentRules(change: FlagChange): Promise<void> {
  const running = await runningIterationsUsingFlag.run(change.trx, [change.projectId, change.flagKey]);
  if (running.length === 0) return;
  const owner = running[0];
  const stopFirst = `; stop the experiment "${owner.key}" first`;
  if (!change.after) throw conflict(`Flag "${change.flagKey}" is used by the running experiment "${owner.key}" in environment "${owner.environment_key}"${stopFirst}`);
  if (!deepEqual(change.before.doc.variations, change.after.doc.variations)) {
    throw conflict(`The variations of flag "${change.flagKey}" are used by the running experiment "${owner.key}"${stopFirst}`);
  }
  if (change.after.doc.archived && !change.before.doc.archived) {
    throw conflict(`Flag "${change.flagKey}" is used by the running experiment "${owner.key}" and cannot be archived${stopFirst}`);
  }
  for (const row of running) {
    await guardHoldoutPrerequisite(change, row);
    const doc = JSON.parse(row.doc) as IterationDoc;
    const ruleId = doc.flags[change.flagKey]?.ruleId;
    if (ruleId === undefined) continue;
    const before = ruleOf(change.before.configs.get(row.environment_id), ruleId);
    const after = ruleOf(change.after.configs.get(row.environment_id), ruleId);
    if (!deepEqual(before, after)) {
      const what = ruleId === 'fallthrough' ? 'The fallthrough' : `Rule "${ruleId}"`;
      throw conflict(
        `${what} of flag "${change.flagKey}" in environment "${row.environment_key}" is owned by the running experiment "${row.key}"; stop the experiment before changing it`,
      );
    }
  }
}
