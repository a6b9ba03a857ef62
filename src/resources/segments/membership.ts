// Pure: whether a context is in a segment, as the server-side SDKs decide it (individual targets, then exclusions,
// then rules with their clauses and weights; a big segment's targets from its stored membership), for
// getContextInstanceSegmentsMembershipByEnv and iterlab's own flag evaluation.
import crypto from 'node:crypto';
import type { Clause } from '../flags/model.js';
import { DEFAULT_UNBOUNDED_CONTEXT_KIND, type BigSegmentMembership } from './bigSegments.js';
import type { SegmentDoc, SegmentRule } from './model.js';

export interface Membership {
  isMember: boolean;
  isIndividuallyTargeted: boolean;
  isRuleTargeted: boolean;
}

/**
 * An attribute reference as the SDKs read one. With a context kind, `/a/b` walks into objects (`~1` is `/`, `~0` is
 * `~`) and a text without a leading `/` is one name; without one (legacy clauses), the text is one name as written.
 * `valid` false is what the Node SDK refuses (empty, `/`, `//`, a `~` not followed by 0 or 1, a trailing `~`, a
 * reference into `_meta`): a clause or rollout naming it makes the flag malformed.
 */
export interface Reference {
  valid: boolean;
  components: string[];
}

const referenceCache = new Map<string, Reference>();

/** A path component of an attribute reference, unescaped (`~1` is `/`, `~0` is `~`). */
export function unescapeComponent(component: string): string {
  return component.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function parseReference(attribute: string, isReference: boolean): Reference {
  if (!isReference) return { valid: attribute !== '', components: [attribute] };
  let parsed = referenceCache.get(attribute);
  if (parsed) return parsed;
  if (attribute === '' || attribute === '/' || /\/\/|(^\/.*~[^0|^1])|~$/.test(attribute)) parsed = { valid: false, components: [] };
  else {
    const components = attribute.startsWith('/') ? attribute.slice(1).split('/').map(unescapeComponent) : [attribute];
    parsed = { valid: components[0] !== '_meta', components };
  }
  if (referenceCache.size < 10_000) referenceCache.set(attribute, parsed);
  return parsed;
}

/** What a reference names in one context part (undefined: nothing); `anonymous` is always a boolean, as in the SDKs. */
export function referencedValue(part: Record<string, unknown>, reference: Reference): unknown {
  if (!reference.valid) return undefined;
  if (reference.components.length === 1 && reference.components[0] === 'anonymous') return !!part.anonymous;
  let value: unknown = part;
  for (const name of reference.components) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/** An attribute's value (see Reference): with a context kind, `attribute` is a reference; without one, a name. */
export function attributeValue(part: Record<string, unknown>, attribute: string, isReference: boolean): unknown {
  return referencedValue(part, parseReference(attribute, isReference));
}

/**
 * A date as the SDKs read one: epoch milliseconds, or a text that begins as RFC 3339 does (the Node SDK's pattern,
 * not anchored at the end) and that Date.parse reads.
 */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[-+]\d{2}(:\d{2})?)/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

interface SemVer {
  parts: [number, number, number];
  pre: string[];
}

const SEMVER_NUMBER = '(0|[1-9]\\d*)';
const SEMVER_PRE_ID = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][a-zA-Z0-9-]*)';
/** Semantic Versioning 2.0.0 strictly (a leading `v` allowed, as the semver package the Node SDK uses allows it). */
const SEMVER = new RegExp(`^v?${SEMVER_NUMBER}\\.${SEMVER_NUMBER}\\.${SEMVER_NUMBER}(?:-(${SEMVER_PRE_ID}(?:\\.${SEMVER_PRE_ID})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`);

function strictSemVer(text: string): SemVer | undefined {
  if (text.length > 256) return undefined;
  const match = SEMVER.exec(text.trim());
  if (!match) return undefined;
  const parts = [Number(match[1]), Number(match[2]), Number(match[3])] as [number, number, number];
  if (parts.some((n) => n > Number.MAX_SAFE_INTEGER)) return undefined;
  return { parts, pre: match[4] ? match[4].split('.') : [] };
}

/**
 * A semantic version as the Node SDK reads one: not starting with `v`; strict, or else with a missing minor or
 * patch filled in (`2` is 2.0.0, `1.2-beta` 1.2.0-beta); surrounding blanks ignored; build metadata ignored.
 */
function semVerOf(value: unknown): SemVer | undefined {
  if (typeof value !== 'string' || value.startsWith('v')) return undefined;
  const strict = strictSemVer(value);
  if (strict) return strict;
  const components = /^\d+(\.\d+)?(\.\d+)?/.exec(value);
  if (!components) return undefined;
  const filled = components[0] + (components[1] === undefined ? '.0' : '') + (components[2] === undefined ? '.0' : '');
  return strictSemVer(filled + value.slice(components[0].length));
}

function compareSemVer(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) if (a.parts[i] !== b.parts[i]) return a.parts[i] - b.parts[i];
  if (a.pre.length === 0 || b.pre.length === 0) return (a.pre.length === 0 ? 1 : 0) - (b.pre.length === 0 ? 1 : 0);
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    if (i >= a.pre.length) return -1;
    if (i >= b.pre.length) return 1;
    const [x, y] = [a.pre[i], b.pre[i]];
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    if (!nx && x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** One operator on one attribute value and one clause value (SDKs' rules: no match across types). */
export function operatorMatches(op: string, value: unknown, clauseValue: unknown): boolean {
  switch (op) {
    case 'in':
      return value === clauseValue;
    case 'startsWith':
      return typeof value === 'string' && typeof clauseValue === 'string' && value.startsWith(clauseValue);
    case 'endsWith':
      return typeof value === 'string' && typeof clauseValue === 'string' && value.endsWith(clauseValue);
    case 'contains':
      return typeof value === 'string' && typeof clauseValue === 'string' && value.includes(clauseValue);
    case 'matches':
      if (typeof value !== 'string' || typeof clauseValue !== 'string') return false;
      try {
        return new RegExp(clauseValue).test(value);
      } catch {
        return false;
      }
    case 'lessThan':
      return typeof value === 'number' && typeof clauseValue === 'number' && value < clauseValue;
    case 'lessThanOrEqual':
      return typeof value === 'number' && typeof clauseValue === 'number' && value <= clauseValue;
    case 'greaterThan':
      return typeof value === 'number' && typeof clauseValue === 'number' && value > clauseValue;
    case 'greaterThanOrEqual':
      return typeof value === 'number' && typeof clauseValue === 'number' && value >= clauseValue;
    case 'before':
    case 'after': {
      const [a, b] = [timeOf(value), timeOf(clauseValue)];
      return a !== undefined && b !== undefined && (op === 'before' ? a < b : a > b);
    }
    case 'semVerEqual':
    case 'semVerLessThan':
    case 'semVerGreaterThan': {
      const [a, b] = [semVerOf(value), semVerOf(clauseValue)];
      if (!a || !b) return false;
      const order = compareSemVer(a, b);
      return op === 'semVerEqual' ? order === 0 : op === 'semVerLessThan' ? order < 0 : order > 0;
    }
    default:
      return false;
  }
}

/** The environment's segments by key: the ones a segmentMatch clause may name. */
export type SegmentLookup = ReadonlyMap<string, SegmentDoc>;

/**
 * The context's big segment targets, read before evaluating (bigSegments.ts), and whether the evaluation consulted
 * them: the SDKs then add `bigSegmentsStatus` to the reason. Set by membership() as it goes.
 */
export interface BigSegmentProbe {
  membership: BigSegmentMembership;
  consulted: boolean;
}

type Kinds = Map<string, Record<string, unknown>>;

/** A clause's or a rule's outcome: matched or not, or an invalid reference the SDKs evaluate as a malformed flag. */
type Outcome = boolean | 'error';

/** What a reference names in the context: `kind` is the context's kinds (whatever the kind asked); else the part's. */
function contextValue(kinds: Kinds, kind: string, reference: Reference): unknown {
  if (reference.valid && reference.components.length === 1 && reference.components[0] === 'kind') return [...kinds.keys()];
  const part = kinds.get(kind);
  return part ? referencedValue(part, reference) : undefined;
}

function clauseOutcome(clause: Omit<Clause, '_id'>, kinds: Kinds, lookup: SegmentLookup, visiting: Set<string>, big: BigSegmentProbe | undefined): Outcome {
  if (clause.op === 'segmentMatch') {
    let matched = false;
    for (const key of clause.values) {
      const segment = typeof key === 'string' ? lookup.get(key) : undefined;
      if (!segment) continue;
      // A cycle of segments is refused where it would be made; the SDKs read one as a malformed flag.
      if (visiting.has(key as string)) return 'error';
      const outcome = segmentOutcome(key as string, segment, kinds, lookup, visiting, big).outcome;
      if (outcome === 'error') return 'error';
      if (outcome) {
        matched = true;
        break;
      }
    }
    return matched !== clause.negate;
  }
  const reference = parseReference(clause.attribute, clause.contextKind !== undefined);
  if (!reference.valid) return 'error';
  const value = contextValue(kinds, clause.contextKind ?? 'user', reference);
  // A missing attribute matches nothing, negated or not, as in the SDKs.
  if (value === undefined || value === null) return false;
  const values = Array.isArray(value) ? value : [value];
  const matched = values.some((v) => clause.values.some((c) => operatorMatches(clause.op, v, c)));
  return matched !== clause.negate;
}

/**
 * Whether all the clauses match, as the Node SDK decides it: they are read in order until one does not match; an
 * invalid one read on the way counts as a match unless it is the last read, which makes the rule malformed.
 */
export function clausesOutcome(clauses: readonly Omit<Clause, '_id'>[], kinds: Kinds, lookup: SegmentLookup, visiting: Set<string>, big?: BigSegmentProbe): Outcome {
  let last: Outcome = true;
  for (const clause of clauses) {
    last = clauseOutcome(clause, kinds, lookup, visiting, big);
    if (last === false) return false;
  }
  return last;
}

/**
 * The bucket (0–1) SDKs compute: SHA-1 of `prefix.value`, its first 15 hex digits, where the value is the attribute
 * of the context of `contextKind` (default user; `attribute` a reference only when the kind is given). A context
 * without that kind, or a value that is not a string or an integer, is bucket 0; `found` says whether it had the
 * kind. An invalid reference is a malformed flag: undefined.
 */
export function bucketOf(prefix: string, attribute: string | undefined, contextKind: string | undefined, kinds: Kinds): { bucket: number; found: boolean } | undefined {
  const reference = parseReference(attribute || 'key', contextKind !== undefined || !attribute);
  if (!reference.valid) return undefined;
  const kind = contextKind ?? 'user';
  const value = contextValue(kinds, kind, reference);
  const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isInteger(value) ? String(value) : undefined;
  if (text === undefined) return { bucket: 0, found: kinds.has(kind) };
  const hash = crypto.createHash('sha1').update(`${prefix}.${text}`).digest('hex').slice(0, 15);
  return { bucket: parseInt(hash, 16) / 0xfffffffffffffff, found: true };
}

function targetedKeys(doc: SegmentDoc, side: 'included' | 'excluded', kinds: Kinds): boolean {
  const user = kinds.get('user');
  if (user && doc[side].includes(user.key as string)) return true;
  const contexts = side === 'included' ? doc.includedContexts : doc.excludedContexts;
  return contexts.some((target) => {
    const part = kinds.get(target.contextKind);
    return part !== undefined && target.values.includes(part.key as string);
  });
}

const INCLUDED: Membership = { isMember: true, isIndividuallyTargeted: true, isRuleTargeted: false };
const OUT: Membership = { isMember: false, isIndividuallyTargeted: false, isRuleTargeted: false };

/**
 * A big segment's answer from its targets, as the SDKs take their big segment store's: a context without the
 * segment's kind is not in it (nothing consulted); else included wins over excluded; undefined leaves it to the rules.
 */
function bigSegmentAnswer(key: string, doc: SegmentDoc, kinds: Kinds, big: BigSegmentProbe | undefined): Membership | undefined {
  if (!kinds.has(doc.unboundedContextKind ?? DEFAULT_UNBOUNDED_CONTEXT_KIND)) return OUT;
  if (big) big.consulted = true;
  const target = big?.membership.get(key);
  if (target?.included) return INCLUDED;
  if (target?.excluded) return OUT;
  return undefined;
}

/** A segment rule's outcome: its clauses, then its weight, bucketed by `segmentKey.salt`. */
function segmentRuleOutcome(key: string, doc: SegmentDoc, rule: SegmentRule, kinds: Kinds, lookup: SegmentLookup, visiting: Set<string>, big: BigSegmentProbe | undefined): Outcome {
  const clauses = clausesOutcome(rule.clauses, kinds, lookup, visiting, big);
  if (clauses !== true || rule.weight === undefined) return clauses;
  const bucketed = bucketOf(`${key}.${doc.salt}`, rule.bucketBy, rule.rolloutContextKind, kinds);
  return bucketed === undefined ? 'error' : bucketed.bucket < rule.weight / 100000;
}

/** Whether the context is in the segment and why, or an error (an invalid reference in the rule that decided). */
function segmentOutcome(key: string, doc: SegmentDoc, kinds: Kinds, lookup: SegmentLookup, visiting: Set<string>, big: BigSegmentProbe | undefined): { outcome: Outcome; why: Membership } {
  if (doc.unbounded) {
    const answer = bigSegmentAnswer(key, doc, kinds, big);
    if (answer) return { outcome: answer.isMember, why: answer };
  } else {
    if (targetedKeys(doc, 'included', kinds)) return { outcome: true, why: INCLUDED };
    if (targetedKeys(doc, 'excluded', kinds)) return { outcome: false, why: OUT };
  }
  const inner = new Set(visiting).add(key);
  for (const rule of doc.rules) {
    const outcome = segmentRuleOutcome(key, doc, rule, kinds, lookup, inner, big);
    if (outcome === 'error') return { outcome, why: OUT };
    if (outcome) return { outcome, why: { isMember: true, isIndividuallyTargeted: false, isRuleTargeted: true } };
  }
  return { outcome: false, why: OUT };
}

/**
 * Whether the context is in the segment, and why: included, else not if excluded, else by a rule. A rule the SDKs
 * could not evaluate (an invalid attribute reference) leaves the context out.
 */
export function membership(key: string, doc: SegmentDoc, kinds: Kinds, lookup: SegmentLookup, visiting = new Set<string>(), big?: BigSegmentProbe): Membership {
  return segmentOutcome(key, doc, kinds, lookup, visiting, big).why;
}
