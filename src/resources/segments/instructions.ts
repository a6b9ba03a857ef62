// Segment semantic patch: LaunchDarkly's instructions, each an edit of the segment's patch view. Every instruction
// is checked against the state the earlier ones leave; if any is refused, none applies (one 400 naming each).
import { Type } from '@sinclair/typebox';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { clone } from '../../http/patch/jsonPatch.js';
import type { InstructionOf, SemanticPatch } from '../../http/patch/semanticPatch.js';
import { Name, Tag } from '../../http/schemas.js';
import { uuid } from '../../store/ids.js';
import { CLAUSE_INSTRUCTIONS, clausesFrom, editClauses, InstructionClause, referenceFrom, Refused, reorderedRules } from '../flags/instructions.js';
import type { BigSegmentChanges } from './bigSegments.js';
import type { SegmentRule, SegmentTarget } from './model.js';

const Opt = Type.Optional;
const Id = Type.String({ minLength: 1, maxLength: 256 });
const Text = Type.String({ maxLength: 8192 });
const Keys = Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { minItems: 1, maxItems: 15000 });
const TagValues = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 1000 });
/** Tags to add must be tags LaunchDarkly stores; those to remove may be any, so that one stored before can go. */
const NewTags = Type.Array(Tag, { minItems: 1, maxItems: 1000 });
const Clauses = Type.Array(InstructionClause, { maxItems: 1000 });
const Weight = Type.Integer({ minimum: 0, maximum: 100000 });
/**
 * updateRuleRolloutAndContextKind's weight: an integer, or one written as a string, as the spec's own example sends it.
 * Its range is checked where it applies (one message for both forms, not one per member of the union).
 */
const WeightOrText = Type.Union([Type.Number(), Type.String()]);

/** More target keys than this in one patch is refused, as LaunchDarkly documents ("the batch limit of 1,500"). */
export const TARGET_BATCH_LIMIT = 1500;

const TARGETS = {
  addIncludedTargets: Type.Object({ contextKind: Id, values: Keys }),
  addExcludedTargets: Type.Object({ contextKind: Id, values: Keys }),
  removeIncludedTargets: Type.Object({ contextKind: Id, values: Keys }),
  removeExcludedTargets: Type.Object({ contextKind: Id, values: Keys }),
  addIncludedUsers: Type.Object({ values: Keys }),
  addExcludedUsers: Type.Object({ values: Keys }),
  removeIncludedUsers: Type.Object({ values: Keys }),
  removeExcludedUsers: Type.Object({ values: Keys }),
};

/**
 * Big segments' instructions. Their keys live beside the segment's document, not in it: they leave the patch view as
 * it is, and bigSegmentEdits collects what they change for commitSegmentUpdate to write.
 */
const BIG_SEGMENT_TARGETS = {
  addBigSegmentIncludedTargets: Type.Object({ values: Keys }),
  addBigSegmentExcludedTargets: Type.Object({ values: Keys }),
  removeBigSegmentIncludedTargets: Type.Object({ values: Keys }),
  removeBigSegmentExcludedTargets: Type.Object({ values: Keys }),
};
const BIG_SEGMENTS = {
  ...BIG_SEGMENT_TARGETS,
  processBigSegmentImport: Type.Object({ importId: Id }),
};

export const SEGMENT_INSTRUCTIONS = {
  addTags: Type.Object({ values: NewTags }),
  removeTags: Type.Object({ values: TagValues }),
  updateName: Type.Object({ value: Name }),
  updateDescription: Type.Object({ value: Text }),
  ...TARGETS,
  addRule: Type.Object({
    clauses: Opt(Clauses),
    description: Opt(Text),
    beforeRuleId: Opt(Id),
    rolloutWeight: Opt(Weight),
    rolloutBucketBy: Opt(Type.String({ minLength: 1 })),
    rolloutContextKind: Opt(Id),
  }),
  removeRule: Type.Object({ ruleId: Id }),
  reorderRules: Type.Object({ ruleIds: Type.Array(Id, { maxItems: 5000 }) }),
  ...CLAUSE_INSTRUCTIONS,
  updateRuleDescription: Type.Object({ ruleId: Id, description: Text }),
  updateRuleRolloutAndContextKind: Type.Object({ ruleId: Id, weight: WeightOrText, contextKind: Opt(Id) }),
  ...BIG_SEGMENTS,
};

type Instruction = InstructionOf<typeof SEGMENT_INSTRUCTIONS>;

/** The parts of the segment's patch view that instructions touch (the rest passes through untouched). */
interface SegmentView {
  name: string;
  description?: string;
  tags: string[];
  included: string[];
  excluded: string[];
  includedContexts: SegmentTarget[];
  excludedContexts: SegmentTarget[];
  rules: SegmentRule[];
}

function findRule(segment: SegmentView, ruleId: string): SegmentRule {
  const rule = segment.rules.find((r) => r._id === ruleId);
  if (!rule) throw new Refused('ruleId', `the segment has no rule with _id "${ruleId}"`);
  return rule;
}

/**
 * The key list one target instruction edits. User keys are kept in `included` / `excluded` (where SDKs and older
 * clients read them) whichever instruction names them; other kinds in the `…Contexts` entry of their kind.
 */
function keyList(segment: SegmentView, side: 'included' | 'excluded', contextKind: string, create: boolean): string[] | undefined {
  if (contextKind === 'user') return segment[side];
  const contexts = side === 'included' ? segment.includedContexts : segment.excludedContexts;
  let entry = contexts.find((t) => t.contextKind === contextKind);
  if (!entry && create) {
    entry = { contextKind, values: [] };
    contexts.push(entry);
  }
  return entry?.values;
}

function editTargets(segment: SegmentView, ins: Extract<Instruction, { kind: keyof typeof TARGETS }>): void {
  const side = ins.kind.includes('Included') ? 'included' : 'excluded';
  const contextKind = 'contextKind' in ins ? ins.contextKind : 'user';
  if (ins.kind.startsWith('add')) {
    const list = keyList(segment, side, contextKind, true)!;
    for (const key of ins.values) if (!list.includes(key)) list.push(key);
    return;
  }
  const removed = new Set(ins.values);
  const contexts = side === 'included' ? segment.includedContexts : segment.excludedContexts;
  // User keys live in included/excluded, and may also sit in a `…Contexts` entry of kind user (a JSON Patch may put
  // them there): removed from both.
  if (contextKind === 'user') segment[side].splice(0, segment[side].length, ...segment[side].filter((key) => !removed.has(key)));
  const at = contexts.findIndex((t) => t.contextKind === contextKind);
  if (at < 0) return;
  contexts[at].values = contexts[at].values.filter((key) => !removed.has(key));
  // An entry left without keys goes.
  if (contexts[at].values.length === 0) contexts.splice(at, 1);
}

function apply(ins: Instruction, segment: SegmentView): void {
  switch (ins.kind) {
    case 'addTags':
      for (const tag of ins.values) if (!segment.tags.includes(tag)) segment.tags.push(tag);
      return;
    case 'removeTags':
      segment.tags = segment.tags.filter((tag) => !ins.values.includes(tag));
      return;
    case 'updateName':
      segment.name = ins.value;
      return;
    case 'updateDescription':
      segment.description = ins.value;
      return;
    case 'addIncludedTargets':
    case 'addExcludedTargets':
    case 'removeIncludedTargets':
    case 'removeExcludedTargets':
    case 'addIncludedUsers':
    case 'addExcludedUsers':
    case 'removeIncludedUsers':
    case 'removeExcludedUsers':
      editTargets(segment, ins);
      return;
    case 'addRule': {
      const rule: SegmentRule = { _id: uuid(), clauses: clausesFrom(ins.clauses, 'clauses') };
      if (ins.description !== undefined) rule.description = ins.description;
      if (ins.rolloutWeight !== undefined) {
        rule.weight = ins.rolloutWeight;
        rule.rolloutContextKind = ins.rolloutContextKind ?? 'user';
        if (ins.rolloutBucketBy !== undefined) rule.bucketBy = referenceFrom(ins.rolloutBucketBy, rule.rolloutContextKind, 'rolloutBucketBy');
      } else if (ins.rolloutBucketBy !== undefined || ins.rolloutContextKind !== undefined) {
        throw new Refused('rolloutWeight', 'must be present with rolloutBucketBy or rolloutContextKind');
      }
      const at = ins.beforeRuleId === undefined ? segment.rules.length : segment.rules.findIndex((r) => r._id === ins.beforeRuleId);
      if (at < 0) throw new Refused('beforeRuleId', `the segment has no rule with _id "${ins.beforeRuleId}"`);
      segment.rules.splice(at, 0, rule);
      return;
    }
    case 'removeRule':
      // LaunchDarkly: "Does nothing if the rule does not exist."
      segment.rules = segment.rules.filter((r) => r._id !== ins.ruleId);
      return;
    case 'reorderRules':
      segment.rules = reorderedRules(segment.rules, ins.ruleIds, 'of the segment');
      return;
    case 'addClauses':
    case 'removeClauses':
    case 'updateClause':
    case 'addValuesToClause':
    case 'removeValuesFromClause':
      editClauses(findRule(segment, ins.ruleId), ins);
      return;
    case 'updateRuleDescription':
      findRule(segment, ins.ruleId).description = ins.description;
      return;
    case 'updateRuleRolloutAndContextKind': {
      const rule = findRule(segment, ins.ruleId);
      const weight = typeof ins.weight === 'string' && /^[0-9]{1,6}$/.test(ins.weight) ? Number(ins.weight) : ins.weight;
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100000) throw new Refused('weight', 'must be an integer from 0 to 100000 (or one written as a string)');
      rule.weight = weight;
      rule.rolloutContextKind = ins.contextKind ?? rule.rolloutContextKind ?? 'user';
      return;
    }
    case 'addBigSegmentIncludedTargets':
    case 'addBigSegmentExcludedTargets':
    case 'removeBigSegmentIncludedTargets':
    case 'removeBigSegmentExcludedTargets':
    case 'processBigSegmentImport':
      // Written beside the document (bigSegmentEdits).
      return;
  }
}

/** What a patch's big-segment instructions change: the keys each side gains and loses, and the imports it names. */
export interface BigSegmentEdits {
  /** The first big-segment instruction's kind, for the 400 when the segment is a standard one. */
  operation: string;
  changes: BigSegmentChanges;
  importIds: string[];
}

/** The patch's big-segment instructions folded in order (a later one on the same key and side wins); undefined when none. */
export function bigSegmentEdits(patch: SemanticPatch<typeof SEGMENT_INSTRUCTIONS>): BigSegmentEdits | undefined {
  const big = patch.instructions.filter((ins) => Object.hasOwn(BIG_SEGMENTS, ins.kind));
  if (big.length === 0) return undefined;
  const sides = { included: new Map<string, boolean>(), excluded: new Map<string, boolean>() };
  const importIds: string[] = [];
  for (const ins of big) {
    if (ins.kind === 'processBigSegmentImport') {
      importIds.push(ins.importId);
      continue;
    }
    const { values } = ins as { values: string[] };
    const side = sides[ins.kind.includes('Included') ? 'included' : 'excluded'];
    for (const key of values) side.set(key, ins.kind.startsWith('add'));
  }
  const listed = (side: Map<string, boolean>, adding: boolean) => [...side].filter(([, add]) => add === adding).map(([key]) => key);
  const changes = {
    included: { add: listed(sides.included, true), remove: listed(sides.included, false) },
    excluded: { add: listed(sides.excluded, true), remove: listed(sides.excluded, false) },
  };
  return { operation: big[0].kind, changes, importIds };
}

/** How many target keys the patch's target instructions name, for LaunchDarkly's batch limit. */
function targetKeyCount(patch: SemanticPatch<typeof SEGMENT_INSTRUCTIONS>): number {
  let n = 0;
  for (const ins of patch.instructions) if (Object.hasOwn(TARGETS, ins.kind)) n += (ins as { values: string[] }).values.length;
  return n;
}

/**
 * Applies the instructions, in order, to a copy of the segment's patch view and returns the edited copy. An
 * instruction that is already in effect changes nothing.
 */
export function applySegmentInstructions(view: Record<string, unknown>, patch: SemanticPatch<typeof SEGMENT_INSTRUCTIONS>): Record<string, unknown> {
  const count = targetKeyCount(patch);
  if (count > TARGET_BATCH_LIMIT) {
    throw validationFailed([{ attribute: 'instructions', reason: `name ${count} target keys; one patch may add or remove at most ${TARGET_BATCH_LIMIT}` }]);
  }
  let segment = clone(view) as unknown as SegmentView;
  const errors: FieldError[] = [];
  for (const ins of patch.instructions) {
    const at = `instructions[${ins.index}]`;
    const before = clone(segment);
    try {
      apply(ins, segment);
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      errors.push({ attribute: err.field ? `${at}.${err.field}` : at, reason: `${ins.kind}: ${err.message}` });
      segment = before;
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
  return segment as unknown as Record<string, unknown>;
}
