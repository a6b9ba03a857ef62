// While an iteration runs it owns its flag rule: a flag write that would touch that rule is refused with 409.
import { conflict } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import type { FlagChange } from '../flags/guards.js';
import type { FlagConfigDoc } from '../flags/model.js';
import { RUNNING_STATUS, type IterationDoc } from './model.js';

function ruleOf(config: FlagConfigDoc | undefined, ruleId: string): unknown {
  if (!config) return undefined;
  return ruleId === 'fallthrough' ? config.fallthrough : config.rules.find((r) => r._id === ruleId);
}

export async function guardRunningExperimentRules(change: FlagChange): Promise<void> {
  const running = await change.trx
    .selectFrom('iterations as i')
    .innerJoin('experiments as e', 'e.id', 'i.experiment_id')
    .innerJoin('environments as env', 'env.id', 'e.environment_id')
    .select(['e.key', 'e.environment_id', 'env.key as environment_key', 'i.doc'])
    .where('e.project_id', '=', change.projectId)
    .where('i.status', '=', RUNNING_STATUS)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('experiment_refs as r').select('r.key').whereRef('r.iteration_id', '=', 'i.id').where('r.kind', '=', 'flag').where('r.key', '=', change.flagKey)),
    )
    .execute();
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
