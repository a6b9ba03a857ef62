// The invariants every stored flag keeps, checked after a create or an edit and before anything is written.
import type { FieldError } from '../../http/errors.js';
import type { Db, Trx } from '../../store/db.js';
import { loadFlag, type FlagConfigDoc, type FlagDoc, type Rollout, type VariationOrRollout } from './model.js';
import { existingSegmentKeys, segmentKeysOf } from '../segments/model.js';
import { unescapeComponent } from '../segments/membership.js';

export const TOTAL_WEIGHT = 100000;

/** JSON with object keys sorted, so that equal values print equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** LaunchDarkly's variation types: a flag's variations are all booleans, all numbers, all strings or all JSON. */
function variationType(value: unknown): string {
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return typeof value;
  return 'JSON';
}

export function isBooleanFlag(values: unknown[]): boolean {
  return values.length === 2 && values.includes(true) && values.includes(false);
}

/**
 * The variation whose type the others must have: the first that an edit left as it was (`before`, the variations
 * before it), so that the one the edit changed is named; else the first.
 */
function typeSetter(variations: { _id?: string; value: unknown }[], before: { _id: string; value: unknown }[]): number {
  const kept = variations.findIndex((v) => v.value !== null && before.some((old) => old._id === v._id && sameValue(old.value, v.value)));
  return kept >= 0 ? kept : 0;
}

/** The variations (not null) whose value is of another type than the flag's (see typeSetter), each with why. */
export function mistypedVariations(variations: { _id?: string; value: unknown }[], before: { _id: string; value: unknown }[] = []): { index: number; reason: string }[] {
  if (variations.length === 0) return [];
  const setter = typeSetter(variations, before);
  const setterType = variationType(variations[setter].value);
  return variations.flatMap((variation, index) => {
    const type = variationType(variation.value);
    return variation.value === null || type === setterType ? [] : [{ index, reason: `must be a ${setterType} like variations[${setter}].value, not a ${type}` }];
  });
}

/**
 * `minimum`: 2, or 1 for an AI Config's flag, whose one variation (the disabled one) is all a config without variations
 * serves. `before`: an edit's variations as they were.
 */
export function checkVariations(variations: { _id?: string; value: unknown }[], minimum = 2, before: { _id: string; value: unknown }[] = []): FieldError[] {
  const errors: FieldError[] = [];
  if (variations.length < minimum) errors.push({ attribute: 'variations', reason: `must have at least ${minimum} variations (it has ${variations.length})` });
  const mistyped = new Map(mistypedVariations(variations, before).map(({ index, reason }) => [index, reason]));
  variations.forEach((variation, i) => {
    if (variation.value === null) {
      errors.push({ attribute: `variations[${i}].value`, reason: 'must not be null' });
      return;
    }
    const typeProblem = mistyped.get(i);
    if (typeProblem) errors.push({ attribute: `variations[${i}].value`, reason: typeProblem });
    const same = variations.findIndex((other) => sameValue(other.value, variation.value));
    if (same < i) errors.push({ attribute: `variations[${i}].value`, reason: `duplicates variations[${same}].value; variation values must be unique` });
    const sameId = variations.findIndex((other) => other._id !== undefined && other._id === variation._id);
    if (sameId >= 0 && sameId < i) errors.push({ attribute: `variations[${i}]._id`, reason: `duplicates variations[${sameId}]._id` });
  });
  return errors;
}

function checkIndex(errors: FieldError[], attribute: string, index: number | undefined, count: number): void {
  if (index === undefined || (index >= 0 && index < count)) return;
  errors.push({ attribute, reason: `must be the index of a variation (0 to ${count - 1}), not ${index}` });
}

export function checkDefaults(defaults: FlagDoc['defaults'], count: number): FieldError[] {
  const errors: FieldError[] = [];
  checkIndex(errors, 'defaults.onVariation', defaults.onVariation, count);
  checkIndex(errors, 'defaults.offVariation', defaults.offVariation, count);
  return errors;
}

function checkRollout(errors: FieldError[], attribute: string, rollout: Rollout, count: number, stored: StoredReferences): void {
  checkContextKind(errors, `${attribute}.contextKind`, rollout.contextKind);
  checkAttributeReference(errors, `${attribute}.bucketBy`, rollout.bucketBy, rollout.contextKind, stored);
  rollout.variations.forEach((weighted, i) => checkIndex(errors, `${attribute}.variations[${i}].variation`, weighted.variation, count));
  const total = rollout.variations.reduce((sum, weighted) => sum + weighted.weight, 0);
  if (total !== TOTAL_WEIGHT) {
    errors.push({ attribute: `${attribute}.variations`, reason: `weights must add up to ${TOTAL_WEIGHT} (thousandths of a percent); they add up to ${total}` });
  }
  // An experiment's rollout lists a variation as often as its layout needs (a treatment's buckets and the untracked
  // ones serving the same variation, a stretch of a layer's bucket space between untracked ones): that is its shape
  // in LaunchDarkly's REST representation too. A plain percentage rollout names each variation once.
  const experiment = rollout.experimentAllocation !== undefined || rollout.variations.some((weighted) => weighted._untracked);
  const seen = new Set<number>();
  rollout.variations.forEach((weighted, i) => {
    if (!experiment && seen.has(weighted.variation)) errors.push({ attribute: `${attribute}.variations[${i}].variation`, reason: `variation ${weighted.variation} appears twice in the rollout` });
    seen.add(weighted.variation);
  });
  if (rollout.experimentAllocation) checkIndex(errors, `${attribute}.experimentAllocation.defaultVariation`, rollout.experimentAllocation.defaultVariation, count);
}

function checkVariationOrRollout(errors: FieldError[], attribute: string, serve: VariationOrRollout, count: number, stored: StoredReferences): void {
  if ((serve.variation === undefined) === (serve.rollout === undefined)) {
    errors.push({ attribute, reason: 'must have exactly one of variation or rollout' });
    return;
  }
  checkIndex(errors, `${attribute}.variation`, serve.variation, count);
  if (serve.rollout) checkRollout(errors, `${attribute}.rollout`, serve.rollout, count, stored);
}

export function checkPattern(errors: FieldError[], attribute: string, value: unknown): void {
  if (typeof value !== 'string') {
    errors.push({ attribute, reason: 'must be a string (a regular expression) for the matches operator' });
    return;
  }
  try {
    new RegExp(value, 'u');
  } catch {
    errors.push({ attribute, reason: `"${value}" is not a valid regular expression` });
  }
}

/**
 * A context kind as LaunchDarkly's SDKs read one: letters, digits, '.', '_' and '-'. `kind` is never a kind, and
 * `multi` names a multi-context, which is made of other kinds: no clause, target or rollout can name either.
 */
export function contextKindProblem(kind: string): string | undefined {
  if (kind === 'kind' || kind === 'multi') return `"${kind}" is not a context kind (it is reserved); name a kind such as "user"`;
  if (!/^[A-Za-z0-9._-]+$/.test(kind)) return "must be a context kind: only letters, digits, '.', '_' or '-'";
  return undefined;
}

/**
 * The attribute references stored targeting already names (clauses' attributes, rollouts' `bucketBy`): an edit keeps
 * them unchecked, so that targeting stored before a check existed takes unrelated edits (and a clone of its flag).
 */
export type StoredReferences = ReadonlySet<string>;

export const NO_STORED_REFERENCES: StoredReferences = new Set();

/** What `StoredReferences` holds, from rules (flags' or segments') and rollouts. */
export function storedReferences(rules: { clauses: { attribute: string }[]; rollout?: Rollout; bucketBy?: string }[], fallthrough?: VariationOrRollout): StoredReferences {
  const references = new Set<string>();
  for (const rule of rules) {
    for (const clause of rule.clauses) references.add(clause.attribute);
    const bucketBy = rule.rollout?.bucketBy ?? rule.bucketBy;
    if (bucketBy !== undefined) references.add(bucketBy);
  }
  if (fallthrough?.rollout?.bucketBy !== undefined) references.add(fallthrough.rollout.bucketBy);
  return references;
}

/**
 * Why a clause's attribute or a rollout's `bucketBy` is one LaunchDarkly's SDKs cannot read, or undefined. With a
 * context kind (`isReference`) it is an attribute reference: a name, or a path `/a/b` of non-empty names in which
 * `~` is written `~0` and `/` is written `~1` (what every SDK refuses otherwise: the Go SDK's errors are "double or
 * trailing slash" and "escape character (~) not followed by 0 or 1"); and it may not name `_meta`, whose meta
 * attributes "cannot be addressed in targeting rules" (LaunchDarkly's context docs; the Node SDK makes such a flag
 * malformed). Outside a path `~` is an ordinary character: a name ending in `~` is a name to the reference's
 * definition and to the Go SDK, so it is taken although the Node SDK alone refuses it (docs/compatibility.md).
 * Without a context kind the text is a literal name (the old user model): any non-empty text.
 * iterlab's evaluator reads references as the Node SDK does: `parseReference` in segments/membership.ts.
 */
export function attributeReferenceProblem(reference: string, isReference = true): string | undefined {
  if (reference === '') return 'must not be empty: name an attribute';
  if (!isReference) return undefined;
  const components = reference.startsWith('/') ? reference.slice(1).split('/') : [reference];
  if (reference.startsWith('/')) {
    if (components.some((part) => part === '')) return `"${reference}" is not an attribute reference: each /-separated part must be a non-empty name (no double or trailing slash)`;
    if (/~(?![01])/.test(reference)) return `"${reference}" is not an attribute reference: "~" must be followed by 0 or 1 (~0 for "~", ~1 for "/")`;
  }
  if (unescapeComponent(components[0]) === '_meta') {
    return `"${reference}" names _meta, which holds a context's meta attributes (privateAttributes): targeting cannot address it (the Node SDK treats such a flag as malformed)`;
  }
  return undefined;
}

/**
 * The attribute a clause or a rollout's `bucketBy` (flags' rollouts, segments' rules) names, when it names one: an
 * attribute reference when the clause or rollout has a context kind, else a literal name, as the SDKs read it (the
 * Go SDK's `setAttrNameOrRef`). A 400 naming the field otherwise.
 */
export function checkAttributeReference(errors: FieldError[], attribute: string, reference: string | undefined, contextKind: string | undefined, stored: StoredReferences): void {
  const problem = reference === undefined || stored.has(reference) ? undefined : attributeReferenceProblem(reference, contextKind !== undefined);
  if (problem) errors.push({ attribute, reason: problem });
}

/**
 * A rule's clause (flags' and segments'): its context kind, its attribute reference (which a `segmentMatch` clause
 * never reads: the SDKs look at its segments only), a `matches` clause's patterns.
 */
export function checkClause(errors: FieldError[], attribute: string, clause: { attribute: string; op: string; values: unknown[]; contextKind?: string }, stored: StoredReferences): void {
  checkContextKind(errors, `${attribute}.contextKind`, clause.contextKind);
  if (clause.op !== 'segmentMatch') checkAttributeReference(errors, `${attribute}.attribute`, clause.attribute, clause.contextKind, stored);
  if (clause.op === 'matches') clause.values.forEach((value, k) => checkPattern(errors, `${attribute}.values[${k}]`, value));
}

/** A context kind a clause, target or rollout names (when it names one): a 400 naming the field otherwise. */
export function checkContextKind(errors: FieldError[], attribute: string, kind: string | undefined): void {
  const problem = kind === undefined ? undefined : contextKindProblem(kind);
  if (problem) errors.push({ attribute, reason: problem });
}

/**
 * One environment's targeting against the flag's variations; `prefix` is e.g. `environments.production`. `stored`:
 * the references the environment's stored targeting names (left unchecked).
 */
export function checkConfig(prefix: string, flagKey: string, config: FlagConfigDoc, count: number, stored: StoredReferences = NO_STORED_REFERENCES): FieldError[] {
  const errors: FieldError[] = [];
  checkIndex(errors, `${prefix}.offVariation`, config.offVariation, count);
  checkVariationOrRollout(errors, `${prefix}.fallthrough`, config.fallthrough, count, stored);
  for (const field of ['targets', 'contextTargets'] as const) {
    config[field].forEach((target, i) => checkIndex(errors, `${prefix}.${field}[${i}].variation`, target.variation, count));
  }
  const ruleIds = new Map<string, number>();
  config.rules.forEach((rule, i) => {
    const attribute = `${prefix}.rules[${i}]`;
    const twin = ruleIds.get(rule._id);
    if (twin !== undefined) errors.push({ attribute: `${attribute}._id`, reason: `duplicates the _id of rules[${twin}]` });
    ruleIds.set(rule._id, i);
    checkVariationOrRollout(errors, attribute, rule, count, stored);
    const clauseIds = new Set<string>();
    rule.clauses.forEach((clause, j) => {
      if (clauseIds.has(clause._id)) errors.push({ attribute: `${attribute}.clauses[${j}]._id`, reason: 'duplicates the _id of another clause of this rule' });
      clauseIds.add(clause._id);
      checkClause(errors, `${attribute}.clauses[${j}]`, clause, stored);
    });
  });
  config.contextTargets.forEach((target, i) => checkContextKind(errors, `${prefix}.contextTargets[${i}].contextKind`, target.contextKind));
  const prerequisiteKeys = new Set<string>();
  config.prerequisites.forEach((prerequisite, i) => {
    if (prerequisite.key === flagKey) errors.push({ attribute: `${prefix}.prerequisites[${i}].key`, reason: 'a flag cannot be its own prerequisite' });
    if (prerequisiteKeys.has(prerequisite.key)) errors.push({ attribute: `${prefix}.prerequisites[${i}].key`, reason: `"${prerequisite.key}" is already a prerequisite` });
    prerequisiteKeys.add(prerequisite.key);
  });
  return errors;
}

/** Each prerequisite names a flag of the project and one of its variations. */
export async function checkPrerequisites(
  db: Db | Trx,
  projectId: string,
  environments: { key: string; config: FlagConfigDoc }[],
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const flags = new Map<string, FlagDoc | undefined>();
  for (const env of environments) {
    for (const [i, prerequisite] of env.config.prerequisites.entries()) {
      if (!flags.has(prerequisite.key)) flags.set(prerequisite.key, (await loadFlag(db, projectId, prerequisite.key))?.doc);
      const flag = flags.get(prerequisite.key);
      const attribute = `environments.${env.key}.prerequisites[${i}]`;
      if (!flag) errors.push({ attribute: `${attribute}.key`, reason: `there is no flag "${prerequisite.key}" in this project` });
      else checkIndex(errors, `${attribute}.variation`, prerequisite.variation, flag.variations.length);
    }
  }
  return errors;
}

/**
 * Each `segmentMatch` clause names segments of the environment (LaunchDarkly answers `unknown segment "key"`): a
 * flag that matched on a missing segment would never match, silently.
 */
export async function checkSegmentReferences(db: Db | Trx, environments: { key: string; id: string; config: FlagConfigDoc }[]): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const env of environments) {
    const existing = await existingSegmentKeys(db, env.id, segmentKeysOf(env.config.rules));
    env.config.rules.forEach((rule, i) =>
      rule.clauses.forEach((clause, j) => {
        if (clause.op !== 'segmentMatch') return;
        clause.values.forEach((value, k) => {
          const attribute = `environments.${env.key}.rules[${i}].clauses[${j}].values[${k}]`;
          if (typeof value !== 'string') errors.push({ attribute, reason: 'must be a segment key (a string) for the segmentMatch operator' });
          else if (!existing.has(value)) errors.push({ attribute, reason: `unknown segment "${value}" in environment "${env.key}"` });
        });
      }),
    );
  }
  return errors;
}
