// Pure: a flag as the server-side SDKs read it (the FDv1 data model, bare variation values, rule `id`s, experiment
// rollouts with `kind`, `seed` and `untracked`): the only code that builds it.
import type { Clause, FlagConfigDoc, FlagDoc, Rollout, Rule, Target, VariationOrRollout } from '../resources/flags/model.js';

export type SdkFlag = Record<string, unknown>;

/**
 * The flag's version for SDKs: the environment's configuration version, as REST shows it (environments[env].version).
 * It grows with every change an SDK can see: to the targeting there, and to the flag's variations or client-side
 * availability, which move every environment's version (applyEdits in flags/editable.ts).
 */
export function sdkVersion(config: FlagConfigDoc): number {
  return config.version;
}

function sdkRollout(rollout: Rollout): Record<string, unknown> {
  const experiment = rollout.experimentAllocation !== undefined;
  return {
    ...(experiment ? { kind: 'experiment' } : {}),
    variations: rollout.variations.map((w) => ({ variation: w.variation, weight: w.weight, ...(w._untracked ? { untracked: true } : {}) })),
    // SDKs ignore bucketBy in an experiment: the randomization unit's key is what is hashed.
    ...(rollout.bucketBy !== undefined && !experiment ? { bucketBy: rollout.bucketBy } : {}),
    ...(rollout.contextKind !== undefined ? { contextKind: rollout.contextKind } : {}),
    ...(rollout.seed !== undefined ? { seed: rollout.seed } : {}),
  };
}

function sdkServes(target: VariationOrRollout): Record<string, unknown> {
  if (target.rollout) return { rollout: sdkRollout(target.rollout) };
  return target.variation !== undefined ? { variation: target.variation } : {};
}

export function sdkClause(clause: Clause): Record<string, unknown> {
  return {
    ...(clause.contextKind !== undefined ? { contextKind: clause.contextKind } : {}),
    attribute: clause.attribute,
    op: clause.op,
    values: clause.values,
    negate: clause.negate,
  };
}

function sdkRule(rule: Rule): Record<string, unknown> {
  return { id: rule._id, ...sdkServes(rule), clauses: rule.clauses.map(sdkClause), trackEvents: rule.trackEvents };
}

/**
 * User targets are `targets` for SDKs, one per variation; other kinds are `contextTargets`. When there are both,
 * SDKs walk `contextTargets` only, reading a user entry's values from the first of `targets` with its variation:
 * so user targets of one variation are served as one (else the later ones would never match), and each gets an
 * empty user entry in `contextTargets`, first, as LaunchDarkly orders them.
 */
function sdkTargets(config: FlagConfigDoc): { targets: Target[]; contextTargets: Target[] } {
  const isUser = (t: Target) => (t.contextKind ?? 'user') === 'user';
  const byVariation = new Map<number, Set<string>>();
  for (const target of [...config.targets.filter(isUser), ...config.contextTargets.filter(isUser)]) {
    if (target.values.length === 0) continue;
    const values = byVariation.get(target.variation) ?? new Set<string>();
    for (const value of target.values) values.add(value);
    byVariation.set(target.variation, values);
  }
  const targets = [...byVariation].map(([variation, values]) => ({ values: [...values], variation }));
  const others = [...config.targets.filter((t) => !isUser(t)), ...config.contextTargets.filter((t) => !isUser(t))];
  if (others.length === 0) return { targets, contextTargets: [] };
  return {
    targets,
    contextTargets: [
      ...targets.map((t) => ({ contextKind: 'user', values: [], variation: t.variation })),
      ...others.map((t) => ({ contextKind: t.contextKind!, values: t.values, variation: t.variation })),
    ],
  };
}

/** The flag as SDKs evaluate it in one environment. Disabled rules are left out: they never match. */
export function sdkFlag(key: string, flag: FlagDoc, config: FlagConfigDoc): SdkFlag {
  return {
    key,
    version: sdkVersion(config),
    on: config.on,
    prerequisites: config.prerequisites.map((p) => ({ key: p.key, variation: p.variation })),
    salt: config.salt,
    ...sdkTargets(config),
    rules: config.rules.filter((rule) => !rule.disabled).map(sdkRule),
    fallthrough: sdkServes(config.fallthrough),
    ...(config.offVariation !== undefined ? { offVariation: config.offVariation } : {}),
    variations: flag.variations.map((v) => v.value),
    clientSideAvailability: flag.clientSideAvailability,
    clientSide: flag.clientSideAvailability.usingEnvironmentId,
    trackEvents: config.trackEvents,
    trackEventsFallthrough: config.trackEventsFallthrough,
    debugEventsUntilDate: config._debugEventsUntilDate ?? null,
    // A migration flag's check ratio, when one is set: the SDK's migrationVariation runs 1 in checkRatio consistency
    // checks (every one without it).
    ...(config.migrationSettings?.checkRatio !== undefined ? { migration: { checkRatio: config.migrationSettings.checkRatio } } : {}),
    deleted: false,
  };
}
