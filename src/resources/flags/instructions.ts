// Flag semantic patch: LaunchDarkly's instructions, each an edit of the flag representation. Every instruction is
// checked against the state the earlier ones leave; if any is refused, none applies (one 400 naming each).
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { clone, isForbiddenKey } from '../../http/patch/jsonPatch.js';
import type { InstructionOf, SemanticPatch } from '../../http/patch/semanticPatch.js';
import { Name, StringEnum, Tag } from '../../http/schemas.js';
import { uuid } from '../../store/ids.js';
import type { Clause, FlagConfigDoc, Prerequisite, Rollout, Rule, Target, Variation, VariationOrRollout } from './model.js';
import { OPERATORS } from './schemas.js';
import { TOTAL_WEIGHT, attributeReferenceProblem, checkPattern, contextKindProblem, mistypedVariations, sameValue } from './validate.js';

const Opt = Type.Optional;
const Id = Type.String({ minLength: 1, maxLength: 256 });
const Text = Type.String({ maxLength: 8192 });
const ContextKeys = Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 10000 });
const ClauseValues = Type.Array(Type.Unknown(), { maxItems: 10000 });

/** A clause as instructions take it (any case of operator; `contextKind` defaults to user, and so does an empty one). */
export const InstructionClause = Type.Object({
  _id: Opt(Id),
  contextKind: Opt(Type.String({ maxLength: 256 })),
  attribute: Type.String({ minLength: 1 }),
  op: Type.String({ minLength: 1 }),
  negate: Opt(Type.Boolean()),
  values: ClauseValues,
});

/** Optional, and `null` is the same as left out (LaunchDarkly's own example sends `"rolloutBucketBy": null`). */
const OptOrNull = <T extends TSchema>(schema: T) => Opt(Type.Unsafe<Static<T> | null>({ ...schema, nullable: true }));

/** What a rule or the fallthrough serves: one variation, or a percentage rollout over variations. */
const Serve = {
  variationId: OptOrNull(Id),
  rolloutWeights: OptOrNull(Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: TOTAL_WEIGHT }))),
  rolloutBucketBy: OptOrNull(Type.String({ minLength: 1 })),
  rolloutContextKind: OptOrNull(Id),
};

const RuleInput = Type.Object({
  _id: Opt(Id),
  clauses: Opt(Type.Array(InstructionClause, { maxItems: 1000 })),
  description: Opt(Text),
  trackEvents: Opt(Type.Boolean()),
  disabled: Opt(Type.Boolean()),
  ref: Opt(Type.String()),
  ...Serve,
});

const TargetsOf = { values: ContextKeys, variationId: Id };
const PrerequisiteInput = Type.Object({ key: Id, variationId: Id });
const ClauseRef = { ruleId: Id, clauseId: Id };
/** `name` may be left out where the flag has the property already (it keeps its name), as LaunchDarkly's example does. */
const CustomProperty = { key: Id, name: Opt(Type.String({ maxLength: 1024 })), values: Type.Array(Type.String(), { maxItems: 1000 }) };
const TagValues = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 1000 });
/** Tags to add must be tags LaunchDarkly stores; those to remove may be any, so that one stored before can go. */
const NewTags = Type.Array(Tag, { minItems: 1, maxItems: 1000 });
const SdkAvailability = StringEnum(['usingMobileKey', 'usingEnvironmentId'] as const);
const Nothing = Type.Object({});

/** The instructions that edit a rule's clauses: flags' and segments' rules take the same. */
export const CLAUSE_INSTRUCTIONS = {
  addClauses: Type.Object({ ruleId: Id, clauses: Type.Array(InstructionClause, { minItems: 1, maxItems: 1000 }) }),
  removeClauses: Type.Object({ ruleId: Id, clauseIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) }),
  updateClause: Type.Object({ ...ClauseRef, clause: InstructionClause }),
  addValuesToClause: Type.Object({ ...ClauseRef, values: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10000 }) }),
  removeValuesFromClause: Type.Object({ ...ClauseRef, values: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10000 }) }),
};

/** Instructions that change one environment's targeting, and so need the body's `environmentKey`. */
export const TARGETING_INSTRUCTIONS = {
  turnFlagOn: Nothing,
  turnFlagOff: Nothing,
  addRule: Type.Object({ clauses: Opt(Type.Array(InstructionClause, { maxItems: 1000 })), beforeRuleId: Opt(Id), description: Opt(Text), trackEvents: Opt(Type.Boolean()), ref: Opt(Type.String()), ...Serve }),
  removeRule: Type.Object({ ruleId: Id }),
  reorderRules: Type.Object({ ruleIds: Type.Array(Id, { maxItems: 1000 }) }),
  replaceRules: Type.Object({ rules: Type.Array(RuleInput, { maxItems: 1000 }) }),
  updateRuleVariationOrRollout: Type.Object({ ruleId: Id, ...Serve }),
  updateRuleDescription: Type.Object({ ruleId: Id, description: Text }),
  updateRuleTrackEvents: Type.Object({ ruleId: Id, trackEvents: Type.Boolean() }),
  ...CLAUSE_INSTRUCTIONS,
  updateFallthroughVariationOrRollout: Type.Object(Serve),
  updateOffVariation: Type.Object({ variationId: Id }),
  updateTrackEvents: Type.Object({ trackEvents: Type.Boolean() }),
  updateTrackEventsFallthrough: Type.Object({ trackEvents: Type.Boolean() }),
  addTargets: Type.Object({ ...TargetsOf, contextKind: Opt(Id) }),
  removeTargets: Type.Object({ ...TargetsOf, contextKind: Opt(Id) }),
  addUserTargets: Type.Object(TargetsOf),
  removeUserTargets: Type.Object(TargetsOf),
  replaceTargets: Type.Object({ targets: Type.Array(Type.Object({ contextKind: Opt(Id), variationId: Id, values: Type.Array(Type.String({ minLength: 1 })) }), { maxItems: 1000 }) }),
  replaceUserTargets: Type.Object({ targets: Type.Array(Type.Object({ variationId: Id, values: Type.Array(Type.String({ minLength: 1 })) }), { maxItems: 1000 }) }),
  clearTargets: Type.Object({ variationId: Id }),
  clearUserTargets: Type.Object({ variationId: Id }),
  addPrerequisite: PrerequisiteInput,
  updatePrerequisite: PrerequisiteInput,
  removePrerequisite: Type.Object({ key: Id }),
  replacePrerequisites: Type.Object({ prerequisites: Type.Array(PrerequisiteInput, { maxItems: 100 }) }),
} satisfies Record<string, TObject>;

/** Instructions that change the flag in every environment. */
const FLAG_WIDE = {
  addVariation: Type.Object({ value: Type.Unknown(), name: Opt(Type.String({ maxLength: 1024 })), description: Opt(Text) }),
  removeVariation: Type.Object({ variationId: Id }),
  updateVariation: Type.Object({ variationId: Id, value: Opt(Type.Unknown()), name: Opt(Type.String({ maxLength: 1024 })), description: Opt(Text) }),
  updateDefaultVariation: Type.Object({
    onVariationValue: Opt(Type.Unknown()),
    offVariationValue: Opt(Type.Unknown()),
    // LaunchDarkly's own example capitalises them.
    OnVariationValue: Opt(Type.Unknown()),
    OffVariationValue: Opt(Type.Unknown()),
  }),
  addTags: Type.Object({ values: NewTags }),
  removeTags: Type.Object({ values: TagValues }),
  addCustomProperties: Type.Object(CustomProperty),
  replaceCustomProperties: Type.Object(CustomProperty),
  removeCustomProperties: Type.Object({ key: Id, values: Type.Array(Type.String(), { maxItems: 1000 }) }),
  updateName: Type.Object({ value: Name }),
  updateDescription: Type.Object({ value: Text }),
  updateMaintainerMember: Type.Object({ value: Id }),
  updateMaintainerTeam: Type.Object({ value: Type.String({ minLength: 1, maxLength: 256 }) }),
  removeMaintainer: Nothing,
  turnOnClientSideAvailability: Type.Object({ value: SdkAvailability }),
  turnOffClientSideAvailability: Type.Object({ value: SdkAvailability }),
  makeFlagTemporary: Nothing,
  makeFlagPermanent: Nothing,
  archiveFlag: Nothing,
  restoreFlag: Nothing,
  deprecateFlag: Nothing,
  restoreDeprecatedFlag: Nothing,
  deleteFlag: Nothing,
} satisfies Record<string, TObject>;

export const FLAG_INSTRUCTIONS = { ...TARGETING_INSTRUCTIONS, ...FLAG_WIDE };

/** The flag-wide instructions that change what a flag serves: its variations. */
export const VARIATION_INSTRUCTIONS = {
  addVariation: FLAG_WIDE.addVariation,
  removeVariation: FLAG_WIDE.removeVariation,
  updateVariation: FLAG_WIDE.updateVariation,
  updateDefaultVariation: FLAG_WIDE.updateDefaultVariation,
};
type Instruction = InstructionOf<typeof FLAG_INSTRUCTIONS>;
type Of<K extends Instruction['kind']> = Extract<Instruction, { kind: K }>;

/** The parts of the flag representation instructions touch (the rest passes through untouched). */
type EnvironmentView = Pick<FlagConfigDoc, 'on' | 'targets' | 'contextTargets' | 'rules' | 'fallthrough' | 'offVariation' | 'prerequisites' | 'trackEvents' | 'trackEventsFallthrough'>;

interface FlagView {
  name: string;
  description: string;
  tags: string[];
  temporary: boolean;
  archived: boolean;
  deprecated: boolean;
  variations: Variation[];
  defaults: { onVariation: number; offVariation: number };
  customProperties: Record<string, { name: string; value: string[] }>;
  clientSideAvailability: { usingMobileKey: boolean; usingEnvironmentId: boolean };
  maintainerId?: string;
  maintainerTeamKey?: string;
  environments: Record<string, EnvironmentView>;
}

export interface InstructionContext {
  flagKey: string;
  /** Another flag of the project (a prerequisite), or undefined. */
  otherFlag(key: string): Promise<{ variations: { _id: string }[] } | undefined>;
}

/** An instruction that cannot apply: `field` is the parameter at fault (or none: the instruction as a whole). */
export class Refused extends Error {
  constructor(
    readonly field: string | undefined,
    reason: string,
  ) {
    super(reason);
  }
}

const OPERATOR_BY_LOWER = new Map(OPERATORS.map((op) => [op.toLowerCase(), op]));

/** The flag's custom property `key`, if it has one (its own: never a member every object has, such as `toString`). */
function customProperty(flag: FlagView, key: string): { name: string; value: string[] } | undefined {
  return Object.hasOwn(flag.customProperties, key) ? flag.customProperties[key] : undefined;
}

/** The name a custom property instruction gives, else the one the property has; a new property needs one. */
function customPropertyName(existing: { name: string } | undefined, key: string, name: string | undefined): string {
  if (name !== undefined) return name;
  if (!existing) throw new Refused('name', `must be present: the flag has no custom property "${key}" yet`);
  return existing.name;
}

/** A custom property's key that JSON Patch and merge patch refuse is refused here too. */
function refuseForbiddenKey(key: string): void {
  if (isForbiddenKey(key)) throw new Refused('key', `"${key}" is not an allowed key`);
}

function variationIndex(flag: FlagView, id: string, field = 'variationId'): number {
  const index = flag.variations.findIndex((v) => v._id === id);
  if (index < 0) throw new Refused(field, `the flag has no variation with _id "${id}"`);
  return index;
}

/**
 * An attribute reference an instruction gives (a clause's `attribute`, a `rolloutBucketBy`), refused where the SDKs
 * cannot read it (see attributeReferenceProblem), naming the instruction's own field rather than the flag's.
 */
export function referenceFrom(reference: string, contextKind: string | undefined, field: string): string {
  const problem = attributeReferenceProblem(reference, contextKind !== undefined);
  if (problem) throw new Refused(field, problem);
  return reference;
}

/** A context kind an instruction gives, refused as the flag's invariants would refuse it, naming the instruction's field. */
export function contextKindFrom(kind: string, field: string): string {
  const problem = contextKindProblem(kind);
  if (problem) throw new Refused(field, problem);
  return kind;
}

export function clauseFrom(input: Static<typeof InstructionClause>, field: string): Clause {
  const op = OPERATOR_BY_LOWER.get(input.op.toLowerCase());
  if (!op) throw new Refused(`${field}.op`, `"${input.op}" is not an operator; use one of ${OPERATORS.join(', ')}`);
  // LaunchDarkly's own examples leave a segmentMatch clause's kind empty (`"contextKind": ""`): the default, as if
  // left out.
  const contextKind = contextKindFrom(input.contextKind || 'user', `${field}.contextKind`);
  // A segmentMatch clause's attribute is never read.
  if (op !== 'segmentMatch') referenceFrom(input.attribute, contextKind, `${field}.attribute`);
  if (op === 'matches') {
    const problems: FieldError[] = [];
    input.values.forEach((value, i) => checkPattern(problems, `${field}.values[${i}]`, value));
    if (problems.length > 0) throw new Refused(problems[0].attribute, problems[0].reason);
  }
  return { _id: input._id ?? uuid(), attribute: input.attribute, op, values: input.values, contextKind, negate: input.negate ?? false };
}

export function clausesFrom(inputs: readonly Static<typeof InstructionClause>[] | undefined, field: string): Clause[] {
  return (inputs ?? []).map((input, i) => clauseFrom(input, `${field}[${i}]`));
}

/** `rules` in the order of `ruleIds`, which must name each of them exactly once (reorderRules, flags' and segments'). */
export function reorderedRules<R extends { _id: string }>(rules: R[], ruleIds: string[], whose: string): R[] {
  const current = rules.map((r) => r._id);
  const sameSet = ruleIds.length === current.length && new Set(ruleIds).size === current.length && current.every((id) => ruleIds.includes(id));
  if (!sameSet) throw new Refused('ruleIds', `must list every rule ${whose} exactly once (${current.map((id) => `"${id}"`).join(', ') || 'it has none'})`);
  return ruleIds.map((id) => rules.find((r) => r._id === id)!);
}

/**
 * One of CLAUSE_INSTRUCTIONS on its rule (found by the caller, whose rules they are). Removing a clause that is not
 * there changes nothing; a `clauseId` to edit must name one of the rule's clauses.
 */
export function editClauses(rule: { _id: string; clauses: Clause[] }, ins: InstructionOf<typeof CLAUSE_INSTRUCTIONS>): void {
  const clauseAt = (clauseId: string) => {
    const index = rule.clauses.findIndex((c) => c._id === clauseId);
    if (index < 0) throw new Refused('clauseId', `rule "${rule._id}" has no clause with _id "${clauseId}"`);
    return index;
  };
  switch (ins.kind) {
    case 'addClauses':
      rule.clauses.push(...clausesFrom(ins.clauses, 'clauses'));
      return;
    case 'removeClauses':
      rule.clauses = rule.clauses.filter((c) => !ins.clauseIds.includes(c._id));
      return;
    case 'updateClause':
      rule.clauses[clauseAt(ins.clauseId)] = { ...clauseFrom(ins.clause, 'clause'), _id: ins.clauseId };
      return;
    case 'addValuesToClause': {
      const clause = rule.clauses[clauseAt(ins.clauseId)];
      for (const value of ins.values) if (!clause.values.some((v) => sameValue(v, value))) clause.values.push(value);
      return;
    }
    case 'removeValuesFromClause': {
      const clause = rule.clauses[clauseAt(ins.clauseId)];
      clause.values = clause.values.filter((v) => !ins.values.some((value) => sameValue(v, value)));
    }
  }
}

/**
 * `variationId`, or `rolloutWeights` (variation _id -> thousandths of a percent) with bucketing options. `at`: where
 * the instruction holds them (`rules[0].` in replaceRules; the instruction itself, else).
 */
function serveFrom(flag: FlagView, sent: { variationId?: string | null; rolloutWeights?: Record<string, number> | null; rolloutBucketBy?: string | null; rolloutContextKind?: string | null }, at = ''): VariationOrRollout {
  const input = { variationId: sent.variationId ?? undefined, rolloutWeights: sent.rolloutWeights ?? undefined, rolloutBucketBy: sent.rolloutBucketBy ?? undefined, rolloutContextKind: sent.rolloutContextKind ?? undefined };
  if (input.variationId !== undefined && input.rolloutWeights !== undefined) throw new Refused(`${at}variationId`, 'give either variationId or rolloutWeights, not both');
  if (input.variationId !== undefined) return { variation: variationIndex(flag, input.variationId, `${at}variationId`) };
  if (input.rolloutWeights === undefined) throw new Refused(at === '' ? undefined : at.slice(0, -1), 'needs variationId or rolloutWeights');
  const weights = Object.entries(input.rolloutWeights).map(([id, weight]) => ({ variation: variationIndex(flag, id, `${at}rolloutWeights.${id}`), weight }));
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  if (total !== TOTAL_WEIGHT) throw new Refused(`${at}rolloutWeights`, `weights must add up to ${TOTAL_WEIGHT} (thousandths of a percent); they add up to ${total}`);
  const contextKind = contextKindFrom(input.rolloutContextKind ?? 'user', `${at}rolloutContextKind`);
  const rollout: Rollout = {
    variations: weights.sort((a, b) => a.variation - b.variation),
    ...(input.rolloutBucketBy !== undefined ? { bucketBy: referenceFrom(input.rolloutBucketBy, contextKind, `${at}rolloutBucketBy`) } : {}),
    contextKind,
  };
  return { rollout };
}

function findRule(env: EnvironmentView, ruleId: string): Rule {
  const rule = env.rules.find((r) => r._id === ruleId);
  if (!rule) throw new Refused('ruleId', `the flag has no rule with _id "${ruleId}" in this environment`);
  return rule;
}

function setServe(target: VariationOrRollout, serve: VariationOrRollout): void {
  delete target.variation;
  delete target.rollout;
  Object.assign(target, serve);
}

function ruleFrom(flag: FlagView, input: Of<'replaceRules'>['rules'][number], field: string): Rule {
  const rule: Rule = { _id: input._id ?? uuid(), clauses: clausesFrom(input.clauses, `${field}.clauses`), trackEvents: input.trackEvents ?? false, ...serveFrom(flag, input, `${field}.`) };
  if (input.description !== undefined) rule.description = input.description;
  if (input.disabled !== undefined) rule.disabled = input.disabled;
  if (input.ref !== undefined) rule.ref = input.ref;
  return rule;
}

/** User targets live in `targets`, other context kinds in `contextTargets`. */
function targetList(env: EnvironmentView, contextKind: string): Target[] {
  return contextKind === 'user' ? env.targets : env.contextTargets;
}

function kindOf(target: Target): string {
  return target.contextKind ?? 'user';
}

/**
 * Every target entry of one context kind, in both lists: a JSON Patch may put user keys in a `user` entry of
 * `contextTargets` (where LaunchDarkly keeps an empty one per variation), and SDKs serve those keys too.
 */
function entriesOf(env: EnvironmentView, contextKind: string): Target[] {
  return [...env.targets, ...env.contextTargets].filter((t) => kindOf(t) === contextKind);
}

function addTargets(flag: FlagView, env: EnvironmentView, values: string[], variationId: string, contextKind: string): void {
  contextKindFrom(contextKind, 'contextKind');
  const variation = variationIndex(flag, variationId);
  const entries = entriesOf(env, contextKind);
  const elsewhere = values.filter((value) => entries.some((t) => t.variation !== variation && t.values.includes(value)));
  if (elsewhere.length > 0) {
    throw new Refused('values', `${elsewhere.map((v) => `"${v}"`).join(', ')} already targeted to another variation for context kind "${contextKind}"; remove them there first`);
  }
  const fresh = [...new Set(values)].filter((value) => !entries.some((t) => t.variation === variation && t.values.includes(value)));
  if (fresh.length === 0) return;
  const list = targetList(env, contextKind);
  let target = list.find((t) => kindOf(t) === contextKind && t.variation === variation);
  if (!target) {
    target = { contextKind, values: [], variation };
    list.push(target);
  }
  target.values.push(...fresh);
}

/** Takes `values` out of the variation's entries of the kind (in either list); an entry this empties goes. */
function removeTargets(flag: FlagView, env: EnvironmentView, values: string[], variationId: string, contextKind: string): void {
  const variation = variationIndex(flag, variationId);
  for (const field of ['targets', 'contextTargets'] as const) {
    env[field] = env[field].filter((target) => {
      if (kindOf(target) !== contextKind || target.variation !== variation || !target.values.some((v) => values.includes(v))) return true;
      target.values = target.values.filter((v) => !values.includes(v));
      return target.values.length > 0;
    });
  }
}

function replaceTargets(flag: FlagView, env: EnvironmentView, targets: { contextKind?: string; variationId: string; values: string[] }[], onlyUser: boolean): void {
  const next: Target[] = [];
  targets.forEach((input, i) => {
    const contextKind = contextKindFrom(input.contextKind ?? 'user', `targets[${i}].contextKind`);
    const variation = variationIndex(flag, input.variationId, `targets[${i}].variationId`);
    for (const value of input.values) {
      const twin = next.find((t) => kindOf(t) === contextKind && t.values.includes(value) && t.variation !== variation);
      if (twin) throw new Refused(`targets[${i}].values`, `"${value}" is targeted to two variations for context kind "${contextKind}"`);
    }
    const same = next.find((t) => kindOf(t) === contextKind && t.variation === variation);
    if (same) same.values = [...new Set([...same.values, ...input.values])];
    else if (input.values.length > 0) next.push({ contextKind, values: [...new Set(input.values)], variation });
  });
  env.targets = next.filter((t) => kindOf(t) === 'user');
  // Only user targeting is replaced: other kinds stay, and so do user entries of contextTargets holding no keys.
  env.contextTargets = onlyUser ? env.contextTargets.filter((t) => kindOf(t) !== 'user' || t.values.length === 0) : next.filter((t) => kindOf(t) !== 'user');
}

async function prerequisiteFrom(flag: FlagView, context: InstructionContext, input: { key: string; variationId: string }, field = ''): Promise<Prerequisite> {
  if (input.key === context.flagKey) throw new Refused(`${field}key`, 'a flag cannot be its own prerequisite');
  const other = await context.otherFlag(input.key);
  if (!other) throw new Refused(`${field}key`, `there is no flag "${input.key}" in this project`);
  const variation = other.variations.findIndex((v) => v._id === input.variationId);
  if (variation < 0) throw new Refused(`${field}variationId`, `flag "${input.key}" has no variation with _id "${input.variationId}"`);
  return { key: input.key, variation };
}

/** Every place a variation index is used: defaults and each environment's targeting. */
function variationUses(flag: FlagView, index: number): string[] {
  const uses: string[] = [];
  const serves = (s: VariationOrRollout) => s.variation === index || (s.rollout?.variations.some((w) => w.variation === index) ?? false) || s.rollout?.experimentAllocation?.defaultVariation === index;
  if (flag.defaults.onVariation === index) uses.push('defaults.onVariation');
  if (flag.defaults.offVariation === index) uses.push('defaults.offVariation');
  for (const [key, env] of Object.entries(flag.environments)) {
    if (env.offVariation === index) uses.push(`environments.${key}.offVariation`);
    if (serves(env.fallthrough)) uses.push(`environments.${key}.fallthrough`);
    env.rules.forEach((rule, i) => serves(rule) && uses.push(`environments.${key}.rules[${i}]`));
    for (const field of ['targets', 'contextTargets'] as const) env[field].forEach((t, i) => t.variation === index && uses.push(`environments.${key}.${field}[${i}]`));
  }
  return uses;
}

/** After variation `removed` is gone, indexes above it move down by one everywhere they are used. */
function renumberAfterRemoval(flag: FlagView, removed: number): void {
  const to = (i: number) => (i > removed ? i - 1 : i);
  const serve = (s: VariationOrRollout) => {
    if (s.variation !== undefined) s.variation = to(s.variation);
    if (s.rollout) {
      for (const w of s.rollout.variations) w.variation = to(w.variation);
      if (s.rollout.experimentAllocation) s.rollout.experimentAllocation.defaultVariation = to(s.rollout.experimentAllocation.defaultVariation);
    }
  };
  flag.defaults = { onVariation: to(flag.defaults.onVariation), offVariation: to(flag.defaults.offVariation) };
  for (const env of Object.values(flag.environments)) {
    if (env.offVariation !== undefined) env.offVariation = to(env.offVariation);
    serve(env.fallthrough);
    env.rules.forEach(serve);
    for (const t of [...env.targets, ...env.contextTargets]) t.variation = to(t.variation);
  }
}

function variationByValue(flag: FlagView, value: unknown, field: string): number {
  const index = flag.variations.findIndex((v) => sameValue(v.value, value));
  if (index < 0) throw new Refused(field, `the flag has no variation with the value ${JSON.stringify(value)}`);
  return index;
}

function checkNewValue(flag: FlagView, value: unknown, except?: number): void {
  if (value === null) throw new Refused('value', 'must not be null');
  const twin = flag.variations.findIndex((v, i) => i !== except && sameValue(v.value, value));
  if (twin >= 0) throw new Refused('value', `variations[${twin}] already has the value ${JSON.stringify(value)}; variation values must be unique`);
}

async function applyTargeting(ins: Instruction, flag: FlagView, env: EnvironmentView, context: InstructionContext): Promise<void> {
  switch (ins.kind) {
    case 'turnFlagOn':
    case 'turnFlagOff':
      env.on = ins.kind === 'turnFlagOn';
      return;
    case 'addRule': {
      const rule: Rule = { _id: uuid(), clauses: clausesFrom(ins.clauses, 'clauses'), trackEvents: ins.trackEvents ?? false, ...serveFrom(flag, ins) };
      if (ins.description !== undefined) rule.description = ins.description;
      if (ins.ref !== undefined) rule.ref = ins.ref;
      const at = ins.beforeRuleId === undefined ? env.rules.length : env.rules.findIndex((r) => r._id === ins.beforeRuleId);
      if (at < 0) throw new Refused('beforeRuleId', `the flag has no rule with _id "${ins.beforeRuleId}" in this environment`);
      env.rules.splice(at, 0, rule);
      return;
    }
    case 'removeRule':
      env.rules = env.rules.filter((r) => r._id !== ins.ruleId);
      return;
    case 'reorderRules':
      env.rules = reorderedRules(env.rules, ins.ruleIds, 'of the flag in this environment');
      return;
    case 'replaceRules': {
      const rules = ins.rules.map((input, i) => ruleFrom(flag, input, `rules[${i}]`));
      const ids = new Set(rules.map((r) => r._id));
      if (ids.size !== rules.length) throw new Refused('rules', 'two rules have the same _id');
      env.rules = rules;
      return;
    }
    case 'updateRuleVariationOrRollout':
      setServe(findRule(env, ins.ruleId), serveFrom(flag, ins));
      return;
    case 'updateRuleDescription':
      findRule(env, ins.ruleId).description = ins.description;
      return;
    case 'updateRuleTrackEvents':
      findRule(env, ins.ruleId).trackEvents = ins.trackEvents;
      return;
    case 'addClauses':
    case 'removeClauses':
    case 'updateClause':
    case 'addValuesToClause':
    case 'removeValuesFromClause':
      editClauses(findRule(env, ins.ruleId), ins);
      return;
    case 'updateFallthroughVariationOrRollout':
      env.fallthrough = serveFrom(flag, ins);
      return;
    case 'updateOffVariation':
      env.offVariation = variationIndex(flag, ins.variationId);
      return;
    case 'updateTrackEvents':
      env.trackEvents = ins.trackEvents;
      return;
    case 'updateTrackEventsFallthrough':
      env.trackEventsFallthrough = ins.trackEvents;
      return;
    case 'addTargets':
    case 'addUserTargets':
      addTargets(flag, env, ins.values, ins.variationId, ('contextKind' in ins && ins.contextKind) || 'user');
      return;
    case 'removeTargets':
    case 'removeUserTargets':
      removeTargets(flag, env, ins.values, ins.variationId, ('contextKind' in ins && ins.contextKind) || 'user');
      return;
    case 'replaceTargets':
      replaceTargets(flag, env, ins.targets, false);
      return;
    case 'replaceUserTargets':
      replaceTargets(flag, env, ins.targets, true);
      return;
    case 'clearTargets':
    case 'clearUserTargets': {
      const variation = variationIndex(flag, ins.variationId);
      env.targets = env.targets.filter((t) => t.variation !== variation);
      env.contextTargets = env.contextTargets.filter((t) => t.variation !== variation || (ins.kind === 'clearUserTargets' && kindOf(t) !== 'user'));
      return;
    }
    case 'addPrerequisite': {
      const prerequisite = await prerequisiteFrom(flag, context, ins);
      const existing = env.prerequisites.find((p) => p.key === ins.key);
      if (existing && existing.variation !== prerequisite.variation) {
        throw new Refused('key', `"${ins.key}" is already a prerequisite (variation ${existing.variation}); use updatePrerequisite to change it`);
      }
      if (!existing) env.prerequisites.push(prerequisite);
      return;
    }
    case 'updatePrerequisite': {
      const existing = env.prerequisites.find((p) => p.key === ins.key);
      if (!existing) throw new Refused('key', `"${ins.key}" is not a prerequisite of this flag in this environment; use addPrerequisite`);
      existing.variation = (await prerequisiteFrom(flag, context, ins)).variation;
      return;
    }
    case 'removePrerequisite':
      env.prerequisites = env.prerequisites.filter((p) => p.key !== ins.key);
      return;
    case 'replacePrerequisites': {
      const next: Prerequisite[] = [];
      for (const [i, input] of ins.prerequisites.entries()) {
        if (next.some((p) => p.key === input.key)) throw new Refused(`prerequisites[${i}].key`, `"${input.key}" is listed twice`);
        next.push(await prerequisiteFrom(flag, context, input, `prerequisites[${i}].`));
      }
      env.prerequisites = next;
      return;
    }
    default:
      throw new Error(`not a targeting instruction: ${ins.kind}`);
  }
}

function applyFlagWide(ins: Instruction, flag: FlagView): void {
  switch (ins.kind) {
    case 'addVariation':
      checkNewValue(flag, ins.value);
      flag.variations.push({ _id: uuid(), value: ins.value, ...(ins.name !== undefined ? { name: ins.name } : {}), ...(ins.description !== undefined ? { description: ins.description } : {}) });
      return;
    case 'removeVariation': {
      const index = flag.variations.findIndex((v) => v._id === ins.variationId);
      if (index < 0) return;
      const uses = variationUses(flag, index);
      if (uses.length > 0) throw new Refused('variationId', `variation ${index} (value ${JSON.stringify(flag.variations[index].value)}) is used by ${uses.join(', ')}; change those first`);
      flag.variations.splice(index, 1);
      renumberAfterRemoval(flag, index);
      return;
    }
    case 'updateVariation': {
      const index = variationIndex(flag, ins.variationId);
      const variation = flag.variations[index];
      if (ins.value !== undefined) {
        checkNewValue(flag, ins.value, index);
        variation.value = ins.value;
      }
      if (ins.name !== undefined) variation.name = ins.name;
      if (ins.description !== undefined) variation.description = ins.description;
      return;
    }
    case 'updateDefaultVariation': {
      const on = ins.onVariationValue !== undefined ? ins.onVariationValue : ins.OnVariationValue;
      const off = ins.offVariationValue !== undefined ? ins.offVariationValue : ins.OffVariationValue;
      if (on === undefined && off === undefined) throw new Refused(undefined, 'needs onVariationValue or offVariationValue');
      if (on !== undefined) flag.defaults.onVariation = variationByValue(flag, on, 'onVariationValue');
      if (off !== undefined) flag.defaults.offVariation = variationByValue(flag, off, 'offVariationValue');
      return;
    }
    case 'addTags':
      for (const tag of ins.values) if (!flag.tags.includes(tag)) flag.tags.push(tag);
      return;
    case 'removeTags':
      flag.tags = flag.tags.filter((tag) => !ins.values.includes(tag));
      return;
    case 'addCustomProperties': {
      refuseForbiddenKey(ins.key);
      const existing = customProperty(flag, ins.key);
      const values = [...(existing?.value ?? [])];
      for (const value of ins.values) if (!values.includes(value)) values.push(value);
      flag.customProperties[ins.key] = { name: customPropertyName(existing, ins.key, ins.name), value: values };
      return;
    }
    case 'replaceCustomProperties':
      refuseForbiddenKey(ins.key);
      flag.customProperties[ins.key] = { name: customPropertyName(customProperty(flag, ins.key), ins.key, ins.name), value: [...new Set(ins.values)] };
      return;
    case 'removeCustomProperties': {
      const existing = customProperty(flag, ins.key);
      if (!existing) return;
      existing.value = existing.value.filter((v) => !ins.values.includes(v));
      if (existing.value.length === 0) delete flag.customProperties[ins.key];
      return;
    }
    case 'updateName':
      flag.name = ins.value;
      return;
    case 'updateDescription':
      flag.description = ins.value;
      return;
    // A flag is maintained by a member or by a team (that the team exists is checked with the flag's other references).
    case 'updateMaintainerMember':
      flag.maintainerId = ins.value;
      delete flag.maintainerTeamKey;
      return;
    case 'updateMaintainerTeam':
      flag.maintainerTeamKey = ins.value;
      delete flag.maintainerId;
      return;
    case 'removeMaintainer':
      delete flag.maintainerId;
      delete flag.maintainerTeamKey;
      return;
    case 'turnOnClientSideAvailability':
    case 'turnOffClientSideAvailability':
      flag.clientSideAvailability = { ...flag.clientSideAvailability, [ins.value]: ins.kind === 'turnOnClientSideAvailability' };
      return;
    case 'makeFlagTemporary':
    case 'makeFlagPermanent':
      flag.temporary = ins.kind === 'makeFlagTemporary';
      return;
    case 'archiveFlag':
    case 'restoreFlag':
      flag.archived = ins.kind === 'archiveFlag';
      return;
    case 'deprecateFlag':
    case 'restoreDeprecatedFlag':
      flag.deprecated = ins.kind === 'deprecateFlag';
      return;
    case 'deleteFlag':
      // The flag PATCH takes it alone (update.ts readFlagDeletion); nowhere else does an instruction delete a flag.
      throw new Refused(undefined, 'a flag is deleted with DELETE /api/v2/flags/{projectKey}/{featureFlagKey}, or a flag PATCH whose only instruction is deleteFlag');
    default:
      throw new Error(`not a flag-wide instruction: ${ins.kind}`);
  }
}

function needsEnvironment(kind: string): boolean {
  return Object.hasOwn(TARGETING_INSTRUCTIONS, kind);
}

/**
 * Applies the instructions, in order, to a copy of the flag representation `rep` (every environment, full
 * targeting) and returns the edited copy. An instruction that is already in effect changes nothing.
 */
export async function applyInstructions(rep: Record<string, unknown>, patch: Pick<SemanticPatch<typeof FLAG_INSTRUCTIONS>, 'environmentKey'> & { instructions: readonly Instruction[] }, context: InstructionContext): Promise<Record<string, unknown>> {
  let flag = clone(rep) as unknown as FlagView;
  const errors: FieldError[] = [];
  const envKey = patch.environmentKey;
  if (envKey !== undefined && !Object.hasOwn(flag.environments, envKey)) {
    throw validationFailed([{ attribute: 'environmentKey', reason: `there is no environment "${envKey}" in this project` }]);
  }
  const variationsBefore = clone(flag.variations);
  // Which instruction gave a variation its value (by _id), to name it when the value's type is not the flag's.
  const valueSetBy = new Map<string, Instruction>();
  for (const ins of patch.instructions) {
    const at = `instructions[${ins.index}]`;
    if (needsEnvironment(ins.kind) && envKey === undefined) {
      errors.push({ attribute: 'environmentKey', reason: `must be present: ${at} (${ins.kind}) changes targeting in one environment` });
      continue;
    }
    const before = clone(flag);
    try {
      if (needsEnvironment(ins.kind)) await applyTargeting(ins, flag, flag.environments[envKey!], context);
      else applyFlagWide(ins, flag);
      if (ins.kind === 'addVariation') valueSetBy.set(flag.variations[flag.variations.length - 1]._id, ins);
      if (ins.kind === 'updateVariation' && ins.value !== undefined) valueSetBy.set(ins.variationId, ins);
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      errors.push({ attribute: err.field ? `${at}.${err.field}` : at, reason: `${ins.kind}: ${err.message}` });
      flag = before;
    }
  }
  // Checked once all have applied: instructions may change every variation's type together.
  for (const { index, reason } of mistypedVariations(flag.variations, variationsBefore)) {
    const ins = valueSetBy.get(flag.variations[index]._id);
    if (ins) errors.push({ attribute: `instructions[${ins.index}].value`, reason: `${ins.kind}: ${reason}` });
  }
  if (errors.length > 0) throw validationFailed(errors);
  return flag as unknown as Record<string, unknown>;
}
