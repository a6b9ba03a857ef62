// Pure: a flag's value for a context, evaluated as the server-side SDKs evaluate the flags iterlab serves them (off,
// prerequisites, individual targets, rules, fallthrough; rollouts and experiments bucketed alike), with the reason.
import type { BigSegmentMembership, BigSegmentRef } from '../resources/segments/bigSegments.js';
import { bucketOf, clausesOutcome, type BigSegmentProbe, type SegmentLookup } from '../resources/segments/membership.js';

type Kinds = Map<string, Record<string, unknown>>;

interface SdkClause {
  contextKind?: string;
  attribute: string;
  op: string;
  values: unknown[];
  negate: boolean;
}

interface SdkRollout {
  kind?: 'experiment';
  variations: { variation: number; weight: number; untracked?: boolean }[];
  bucketBy?: string;
  contextKind?: string;
  seed?: number;
}

interface SdkServe {
  variation?: number;
  rollout?: SdkRollout;
}

/** A flag in the SDKs' model (sdkFlag.ts builds it). */
export interface SdkFlagModel {
  key: string;
  on: boolean;
  salt: string;
  prerequisites: { key: string; variation: number }[];
  targets: { values: string[]; variation: number }[];
  contextTargets: { contextKind: string; values: string[]; variation: number }[];
  rules: (SdkServe & { id: string; clauses: SdkClause[] })[];
  fallthrough: SdkServe;
  offVariation?: number;
  variations: unknown[];
}

/**
 * The SDKs' reasons. `bigSegmentsStatus` is on every reason of an evaluation that consulted a big segment: HEALTHY
 * from the stored targets, NOT_CONFIGURED when they were not read for the context.
 */
export type Reason = (
  | { kind: 'OFF' | 'TARGET_MATCH' }
  | { kind: 'FALLTHROUGH'; inExperiment?: true }
  | { kind: 'RULE_MATCH'; ruleIndex: number; ruleId: string; inExperiment?: true }
  | { kind: 'PREREQUISITE_FAILED'; prerequisiteKey: string }
  | { kind: 'ERROR'; errorKind: 'MALFORMED_FLAG' }
) & { bigSegmentsStatus?: 'HEALTHY' | 'NOT_CONFIGURED' };

export interface Evaluation {
  value: unknown;
  variation: number | undefined;
  reason: Reason;
  /**
   * The flag's own prerequisites that were evaluated, in order (the failing one included, a missing one not), as the
   * SDKs list them for the client-side SDKs' prerequisite events; absent when none were.
   */
  prerequisites?: string[];
}

export interface EvaluationData {
  flags: ReadonlyMap<string, SdkFlagModel>;
  segments: SegmentLookup;
  /** The environment's big segments; absent when it has none (nothing to read per context). */
  bigSegments?: readonly BigSegmentRef[];
  /** The evaluated context's big segment targets (environmentData.ts's withBigSegmentMembership reads them). */
  membership?: BigSegmentMembership;
}

class Malformed extends Error {}

function variationResult(flag: SdkFlagModel, index: number | undefined, reason: Reason): Evaluation {
  if (index === undefined) return { value: null, variation: undefined, reason };
  if (!Number.isInteger(index) || index < 0 || index >= flag.variations.length) throw new Malformed();
  return { value: flag.variations[index], variation: index, reason };
}

/** The variation a rule or the fallthrough serves, and whether the context is in an experiment by it. */
function served(flag: SdkFlagModel, serve: SdkServe, kinds: Kinds): { variation: number; inExperiment: boolean } {
  if (serve.variation !== undefined) return { variation: serve.variation, inExperiment: false };
  const rollout = serve.rollout;
  if (!rollout || rollout.variations.length === 0) throw new Malformed();
  const experiment = rollout.kind === 'experiment';
  // A seed replaces the flag's key and salt in any rollout, as in the SDKs (0 is no seed).
  const prefix = rollout.seed ? String(rollout.seed) : `${flag.key}.${flag.salt}`;
  // Experiments bucket by the unit's key whatever bucketBy says.
  const bucketed = bucketOf(prefix, experiment ? undefined : rollout.bucketBy, rollout.contextKind, kinds);
  if (!bucketed) throw new Malformed();
  const { bucket, found } = bucketed;
  let sum = 0;
  for (const weighted of rollout.variations) {
    sum += weighted.weight / 100000;
    if (bucket < sum) return { variation: weighted.variation, inExperiment: experiment && found && !weighted.untracked };
  }
  // Weights that add up to less than 100%: the last bucket takes the rest, in the experiment whether or not the
  // context has the unit's kind, as in the SDKs.
  const last = rollout.variations[rollout.variations.length - 1];
  return { variation: last.variation, inExperiment: experiment && !last.untracked };
}

/**
 * The individual target the context matches. With `contextTargets`, they are walked in order; a user entry (no
 * values) stands for the first of `targets` with its variation, as the SDKs read it (sdkFlag.ts gives one per
 * variation); without, `targets` are the user targets.
 */
function targetMatch(flag: SdkFlagModel, kinds: Kinds): number | undefined {
  const userKey = kinds.get('user')?.key;
  if (flag.contextTargets.length === 0) return userKey === undefined ? undefined : flag.targets.find((t) => t.values.includes(userKey as string))?.variation;
  for (const target of flag.contextTargets) {
    if (target.contextKind === 'user') {
      const userTarget = flag.targets.find((t) => t.variation === target.variation);
      if (userTarget && userKey !== undefined && userTarget.values.includes(userKey as string)) return target.variation;
      continue;
    }
    const key = kinds.get(target.contextKind)?.key;
    if (key !== undefined && target.values.includes(key as string)) return target.variation;
  }
  return undefined;
}

/** `evaluated` collects the top-level flag's prerequisites as they are evaluated (undefined below the top). */
function evaluateFlag(flag: SdkFlagModel, kinds: Kinds, data: EvaluationData, visiting: Set<string>, big: BigSegmentProbe | undefined, evaluated?: string[]): Evaluation {
  if (!flag.on) return variationResult(flag, flag.offVariation, { kind: 'OFF' });
  for (const prerequisite of flag.prerequisites) {
    if (visiting.has(prerequisite.key)) throw new Malformed();
    const other = data.flags.get(prerequisite.key);
    let result: Evaluation | undefined;
    try {
      result = other ? evaluateFlag(other, kinds, data, new Set(visiting).add(flag.key), big) : undefined;
    } finally {
      if (other) evaluated?.push(prerequisite.key);
    }
    if (!other || !other.on || result?.variation !== prerequisite.variation) {
      return variationResult(flag, flag.offVariation, { kind: 'PREREQUISITE_FAILED', prerequisiteKey: prerequisite.key });
    }
  }
  const targeted = targetMatch(flag, kinds);
  if (targeted !== undefined) return variationResult(flag, targeted, { kind: 'TARGET_MATCH' });
  for (const [ruleIndex, rule] of flag.rules.entries()) {
    const matches = clausesOutcome(rule.clauses, kinds, data.segments, new Set(), big);
    if (matches === 'error') throw new Malformed();
    if (!matches) continue;
    const { variation, inExperiment } = served(flag, rule, kinds);
    return variationResult(flag, variation, { kind: 'RULE_MATCH', ruleIndex, ruleId: rule.id, ...(inExperiment ? { inExperiment: true as const } : {}) });
  }
  const { variation, inExperiment } = served(flag, flag.fallthrough, kinds);
  return variationResult(flag, variation, { kind: 'FALLTHROUGH', ...(inExperiment ? { inExperiment: true as const } : {}) });
}

/** The flag's value and reason for the context (its parts by kind); a flag the SDKs could not evaluate is an ERROR. */
export function evaluate(flag: SdkFlagModel, kinds: Kinds, data: EvaluationData): Evaluation {
  const evaluated: string[] = [];
  const withPrerequisites = (result: Evaluation): Evaluation => (evaluated.length > 0 ? { ...result, prerequisites: evaluated } : result);
  try {
    if (!data.bigSegments) return withPrerequisites(evaluateFlag(flag, kinds, data, new Set([flag.key]), undefined, evaluated));
    const big: BigSegmentProbe = { membership: data.membership ?? new Map(), consulted: false };
    const result = withPrerequisites(evaluateFlag(flag, kinds, data, new Set([flag.key]), big, evaluated));
    if (!big.consulted) return result;
    return { ...result, reason: { ...result.reason, bigSegmentsStatus: data.membership ? 'HEALTHY' : 'NOT_CONFIGURED' } };
  } catch (err) {
    if (err instanceof Malformed) return withPrerequisites({ value: null, variation: undefined, reason: { kind: 'ERROR', errorKind: 'MALFORMED_FLAG' } });
    throw err;
  }
}
