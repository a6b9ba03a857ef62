// An AI Config's flag: made with the config, its variations rebuilt from the config after every change and committed
// through the flags' own update path (versions, the SDKs' change notice, the flag guards), deleted with the config;
// and the guard that keeps the flags API off what the config owns (its variations, its existence).
import type { Actor, Deps } from '../../http/context.js';
import { conflict, validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import type { Trx } from '../../store/db.js';
import { objectId, uuid } from '../../store/ids.js';
import { listEnvironments } from '../environments/environments.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import type { FlagGuard } from '../flags/guards.js';
import { AI_CONFIG_PURPOSE, initialConfig, insertFlag, type FlagConfigDoc, type FlagDoc, type LoadedFlag, type Rollout, type Variation as FlagVariation } from '../flags/model.js';
import type { ProjectRow } from '../projects/projects.js';
import { findAIConfig, modelConfigsOf, type AIConfigDoc, type LoadedAIConfig, type Variation } from './model.js';
import { configPath } from './represent.js';
import { flagVariations } from './served.js';

/**
 * The flag of a new AI Config, in every environment of the project: on (an AI Config's targeting has no off),
 * serving the disabled variation, by default and when off, until targeting points at one of the config's variations.
 */
export async function insertConfigFlag(trx: Trx, project: ProjectRow, key: string, config: AIConfigDoc, variations: readonly Variation[], now: number): Promise<string> {
  const doc: FlagDoc = {
    name: config.name,
    kind: 'multivariate',
    description: `The flag of AI Config "${key}": SDKs evaluate the AI Config by it`,
    variations: flagVariations(config, variations, await modelConfigsOf(trx, project.id, variations), uuid()),
    temporary: false,
    tags: [],
    customProperties: {},
    clientSideAvailability: { usingMobileKey: false, usingEnvironmentId: false },
    includeInSnippet: false,
    defaults: { onVariation: 0, offVariation: 0 },
    ...(config.maintainerId !== undefined ? { maintainerId: config.maintainerId } : {}),
    archived: false,
    deprecated: false,
    purpose: AI_CONFIG_PURPOSE,
    _version: 1,
    creationDate: now,
  };
  const configs = new Map<string, FlagConfigDoc>();
  for (const env of await listEnvironments(trx, project.id)) configs.set(env.id, initialConfig(doc, now));
  const flagId = objectId(now);
  await insertFlag(trx, { id: flagId, project_id: project.id, key, name: config.name, doc: JSON.stringify(doc), archived: 0, created_at: now }, configs);
  return flagId;
}

/**
 * One change to an AI Config, in one transaction with its flag: `change` runs with the flag and then the config
 * locked (the order every AI Config write takes) and writes the config's rows; the flag's variations are then
 * rebuilt from what the config has become and committed as a flag update (nothing when they are the same). A 404
 * names the AI Config. Answers what `change` answered.
 */
export async function commitConfigWrite<T>(
  deps: Deps,
  actor: Actor | undefined,
  project: ProjectRow,
  configKey: string,
  delta: unknown,
  change: (trx: Trx, config: LoadedAIConfig, flag: LoadedFlag) => Promise<T>,
): Promise<T> {
  // Before the flag is looked for, so that a missing config is named as one.
  await findAIConfig(deps.store.db, project, configKey);
  let answer: { value: T } | undefined;
  let variations: FlagVariation[] = [];
  let name = '';
  await commitFlagUpdate(deps, {
    project,
    flagKey: configKey,
    actor,
    origin: 'ai-config',
    // The flag is named as its config is.
    update: { comment: undefined, delta, apply: async (rep) => ({ ...rep, name, variations }) },
    inside: async (trx, flag) => {
      answer = { value: await change(trx, await findAIConfig(trx, project, configKey, deps.store), flag) };
      const after = await findAIConfig(trx, project, configKey);
      name = after.doc.name;
      variations = flagVariations(after.doc, after.variations, await modelConfigsOf(trx, project.id, after.variations), flag.doc.variations[0]._id);
      return true;
    },
    audit: () => ({
      resource: `proj/${project.key}:env/*:flag/${configKey}`,
      action: 'updateFlag',
      description: `updated the flag ${configKey} of AI Config "${configKey}"`,
    }),
  });
  return answer!.value;
}

/**
 * What the flags API may not do to an AI Config's flag: delete it, archive it, or change its variations (which are
 * the config's variations, as SDKs are served them). Its targeting is the config's targeting: that it may change.
 */
export const guardAIConfigFlags: FlagGuard = async (change) => {
  if (change.before.doc.purpose !== AI_CONFIG_PURPOSE || change.origin === 'ai-config') return;
  const where = configPath(change.projectKey, change.flagKey);
  const whose = `flag "${change.flagKey}" is the flag of AI Config "${change.flagKey}"`;
  if (!change.after) throw conflict(`Flag "${change.flagKey}" is the flag of AI Config "${change.flagKey}"; delete the AI Config instead (DELETE ${where})`);
  if (!deepEqual(change.before.doc.variations, change.after.doc.variations)) {
    throw validationFailed([{ attribute: 'variations', reason: `${whose}: its variations are the AI Config's; change them through ${where}/variations` }]);
  }
  if (change.before.doc.archived !== change.after.doc.archived) throw validationFailed([{ attribute: 'archived', reason: `${whose}: it is archived or restored with the AI Config, not by itself` }]);
};

function rolloutServes(rollout: Rollout | undefined, index: number): boolean {
  return rollout?.variations.some((w) => w.variation === index && w.weight > 0) ?? false;
}

/** The environments (by id) whose targeting of the flag serves variation `index`: by default, when off, in a rule or to a target. */
function environmentsServing(flag: LoadedFlag, index: number): string[] {
  return [...flag.configs].flatMap(([environmentId, c]) => {
    const serves =
      c.fallthrough.variation === index ||
      rolloutServes(c.fallthrough.rollout, index) ||
      c.offVariation === index ||
      c.rules.some((rule) => rule.variation === index || rolloutServes(rule.rollout, index)) ||
      [...c.targets, ...c.contextTargets].some((t) => t.variation === index && t.values.length > 0);
    return serves ? [environmentId] : [];
  });
}

/** A 400 on `attribute` when targeting in some environment serves the variation, which is about to be `what` (archived, deleted). */
export async function refuseIfServed(trx: Trx, flag: LoadedFlag, variation: Variation, attribute: string, what: string): Promise<void> {
  const serving = environmentsServing(flag, flag.doc.variations.findIndex((v) => v._id === variation.id));
  if (serving.length === 0) return;
  const keys = (await listEnvironments(trx, flag.row.project_id)).filter((env) => serving.includes(env.id)).map((env) => `"${env.key}"`);
  throw validationFailed([{ attribute, reason: `variation "${variation.key}" is served by the targeting in environment ${keys.join(', ')}; point that targeting at another variation before it is ${what}` }]);
}
