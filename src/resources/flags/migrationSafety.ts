// Pure: the migration safety issues of a change to a migration flag's targeting in one environment, as
// postMigrationSafetyIssues answers them (LaunchDarkly's MigrationSafetyIssueRep). LaunchDarkly documents the
// representation, not how it judges; iterlab's rule (docs/compatibility.md, "Migration safety issues"):
// - the old system is affected when contexts leave `complete`, where only the new system was written, for a stage
//   that writes or reads the old one again: their data there is stale;
// - the new system is affected when contexts go from `off`, where the new system is not written, straight to a stage
//   where the new system is authoritative (`live`, `rampdown`, `complete`) in a four- or six-stage migration: no stage
//   in between wrote their data to it. (A two-stage migration switches straight over by design.)
// Which contexts move is worked out from the cohorts (rules by `_id`, and the default cohort, `fallthrough`) before
// and after, as configured and as served (a flag turned off or on moves every cohort): within a cohort, its rollouts
// overlaid bucket by bucket; across cohorts, any pair a change to the rules (one added, removed, disabled,
// re-enabled, given other clauses, or moved past another) can move contexts between.
import type { FlagConfigDoc, FlagDoc, Rule, VariationOrRollout } from './model.js';

export interface MigrationSafetyIssue {
  causingRuleId: string;
  affectedRuleIds: string[];
  issue: string;
  oldSystemAffected: boolean;
}

/** The default cohort's sentinel id, as LaunchDarkly's MigrationSafetyIssueRep names it. */
const FALLTHROUGH = 'fallthrough';

const WHOLE = 100_000;
const NEW_AUTHORITATIVE = new Set(['live', 'rampdown', 'complete']);

/** A stretch of the bucket space [0, 100000) and the variation it is served. */
interface Span {
  from: number;
  to: number;
  variation: number;
}

/** A cohort as contexts meet it: what it serves, bucket by bucket, and the bucketing that places them. */
interface Cohort {
  id: string;
  spans: Span[];
  /** Two cohorts bucket a context alike only when this is equal. */
  bucketing: string;
  /** The rule's clauses as text; undefined for the default cohort. */
  clauses?: string;
}

/** What a served rollout or variation gives each bucket; the last weighted variation takes what the weights leave, as in the SDKs. */
function spansOf(serve: VariationOrRollout): Span[] {
  if (serve.rollout === undefined || serve.rollout.variations.length === 0) return [{ from: 0, to: WHOLE, variation: serve.variation ?? 0 }];
  const spans: Span[] = [];
  let at = 0;
  const weighted = serve.rollout.variations;
  weighted.forEach((w, i) => {
    const to = i === weighted.length - 1 ? WHOLE : Math.min(WHOLE, at + Math.max(0, w.weight));
    if (to > at) spans.push({ from: at, to, variation: w.variation });
    at = Math.max(at, to);
  });
  return spans;
}

/**
 * The cohorts of one environment's targeting: as configured, or as served (`served`: a flag that is off serves its
 * off variation to every context, whatever its cohorts say).
 */
function cohortsOf(config: FlagConfigDoc, served: boolean): Cohort[] {
  const off = served && !config.on;
  const spans = (serve: VariationOrRollout) => (off ? [{ from: 0, to: WHOLE, variation: config.offVariation ?? 0 }] : spansOf(serve));
  const bucketing = (serve: VariationOrRollout) =>
    !off && serve.rollout ? JSON.stringify([serve.rollout.bucketBy ?? 'key', serve.rollout.contextKind ?? 'user', serve.rollout.seed ?? null]) : 'one';
  const enabled = config.rules.filter((rule: Rule) => !rule.disabled);
  return [
    ...enabled.map((rule) => ({ id: rule._id, spans: spans(rule), bucketing: bucketing(rule), clauses: JSON.stringify(rule.clauses) })),
    { id: FALLTHROUGH, spans: spans(config.fallthrough), bucketing: bucketing(config.fallthrough) },
  ];
}

/** The variations a context of `from` may move between as it becomes a context of `to`: [was, now] pairs. */
function moves(from: Cohort, to: Cohort, sameContexts: boolean): [number, number][] {
  const pairs = new Map<string, [number, number]>();
  const add = (was: number, now: number) => {
    if (was !== now) pairs.set(`${was}:${now}`, [was, now]);
  };
  // The same contexts bucketed alike: only the overlapping stretches move. Otherwise any stage served to some of them
  // before may become any served to some after.
  const overlaid = sameContexts && (from.bucketing === to.bucketing || from.spans.length === 1 || to.spans.length === 1);
  for (const a of from.spans) {
    for (const b of to.spans) {
      if (!overlaid || (a.from < b.to && b.from < a.to)) add(a.variation, b.variation);
    }
  }
  return [...pairs.values()];
}

/** Which contexts a change to the rules may carry from one cohort to another: [cohort before, cohort after] pairs. */
function crossings(before: Cohort[], after: Cohort[]): { causing: string; from: Cohort; to: Cohort }[] {
  const index = (list: Cohort[]) => new Map(list.map((c, i) => [c.id, i]));
  const [at0, at1] = [index(before), index(after)];
  const was = new Map(before.map((c) => [c.id, c]));
  const now = new Map(after.map((c) => [c.id, c]));
  // A rule that matches the same contexts in both: present and enabled in both, with the same clauses.
  const steady = (id: string) => was.has(id) && now.has(id) && was.get(id)!.clauses === now.get(id)!.clauses;
  const found: { causing: string; from: Cohort; to: Cohort }[] = [];
  for (const left of before) {
    if (steady(left.id)) continue;
    // A rule that no longer matches the same contexts gives some of them to any cohort but a steady rule that was ahead
    // of it (which did not match them).
    for (const to of after) {
      if (to.id !== left.id && !(steady(to.id) && at0.get(to.id)! < at0.get(left.id)!)) found.push({ causing: left.id, from: left, to });
    }
  }
  for (const taking of after) {
    if (steady(taking.id)) continue;
    // A rule that matches other contexts now takes some from any cohort but a steady rule still ahead of it.
    for (const from of before) {
      if (from.id !== taking.id && !(steady(from.id) && at1.get(from.id)! < at1.get(taking.id)!)) found.push({ causing: taking.id, from, to: taking });
    }
  }
  // Two steady rules whose order swapped: the contexts both match go to the one now ahead.
  for (const ahead of after) {
    if (!steady(ahead.id) || ahead.id === FALLTHROUGH) continue;
    for (const behind of after) {
      if (!steady(behind.id) || behind.id === FALLTHROUGH) continue;
      if (at1.get(ahead.id)! < at1.get(behind.id)! && at0.get(ahead.id)! > at0.get(behind.id)!) found.push({ causing: ahead.id, from: was.get(behind.id)!, to: ahead });
    }
  }
  return found;
}

/** Whether a move between two stages is unsafe, and for which system. */
function hazard(was: string, now: string, stageCount: number): 'old' | 'new' | undefined {
  if (was === 'complete' && now !== 'complete') return 'old';
  if (stageCount > 2 && was === 'off' && NEW_AUTHORITATIVE.has(now)) return 'new';
  return undefined;
}

const ISSUES = {
  old: (moved: string) => `Moves contexts out of the complete stage (${moved}): the old system received none of their writes while they were in complete, so its data for them is stale`,
  new: (moved: string) => `Moves contexts from the off stage straight to a stage where the new system is authoritative (${moved}): the new system has not received their writes`,
};

/**
 * The migration safety issues of changing one environment's targeting of a migration flag from `before` to `after`,
 * one for each cohort that causes contexts to move unsafely and each system affected, in the order of the cohorts
 * after the change (rules, then the default cohort), then cohorts the change removed. Empty when the move is safe.
 */
export function migrationSafetyIssues(flag: Pick<FlagDoc, 'variations' | 'migrationSettings'>, before: FlagConfigDoc, after: FlagConfigDoc): MigrationSafetyIssue[] {
  const stageCount = flag.migrationSettings?.stageCount ?? flag.variations.length;
  const stage = (variation: number) => String(flag.variations[variation]?.value ?? variation);
  // Judged as configured (what contexts get while the flag is on, or once it is turned on) and as served (turning the
  // flag off or on moves every cohort from or to its off variation): the same cohorts, so the issues merge.
  const views = [false, true].map((served) => [cohortsOf(before, served), cohortsOf(after, served)]);
  const [was, now] = views[0];
  const candidates = views.flatMap(([earlier, later]) => [
    ...later.flatMap((cohort) => {
      const previous = earlier.find((c) => c.id === cohort.id);
      return previous ? [{ causing: cohort.id, from: previous, to: cohort, same: true }] : [];
    }),
    ...crossings(earlier, later).map((c) => ({ ...c, same: false })),
  ]);

  // Grouped by the cohort that causes them and the system they affect, in a stable order.
  const order = [...now.map((c) => c.id), ...was.map((c) => c.id).filter((id) => !now.some((c) => c.id === id))];
  const grouped = new Map<string, { causing: string; system: 'old' | 'new'; affected: Set<string>; moved: Set<string> }>();
  for (const { causing, from, to, same } of candidates) {
    for (const [a, b] of moves(from, to, same)) {
      const system = hazard(stage(a), stage(b), stageCount);
      if (!system) continue;
      const key = `${causing}\u0000${system}`;
      const group = grouped.get(key) ?? { causing, system, affected: new Set<string>(), moved: new Set<string>() };
      group.affected.add(from.id === causing ? to.id : from.id);
      group.moved.add(`${stage(a)} to ${stage(b)}`);
      grouped.set(key, group);
    }
  }
  const rank = (group: { causing: string; system: string }) => order.indexOf(group.causing) * 2 + (group.system === 'old' ? 0 : 1);
  return [...grouped.values()]
    .sort((x, y) => rank(x) - rank(y))
    .map((group) => ({
      causingRuleId: group.causing,
      affectedRuleIds: [...group.affected].sort((x, y) => order.indexOf(x) - order.indexOf(y)),
      issue: ISSUES[group.system]([...group.moved].join(', ')),
      oldSystemAffected: group.system === 'old',
    }));
}
