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
 * An attribute's value: with a context kind, `attribute` is a reference (`/a/b` walks into objects, `~1` is `/` and
 * `~0` is `~`; without a leading `/` it is one name); without one (legacy clauses), it is a name as written.
 */
export function attributeValue(part: Record<string, unknown>, attribute: string, isReference: boolean): unknown {
  if (!isReference || !attribute.startsWith('/')) return Object.hasOwn(part, attribute) ? part[attribute] : undefined;
  let value: unknown = part;
  for (const token of attribute.slice(1).split('/')) {
    const name = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/** A date as SDKs read one: epoch milliseconds, or an RFC 3339 text. */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

interface SemVer {
  parts: [number, number, number];
  pre: string[];
}

/** A semantic version, allowing a missing minor or patch (`2` is 2.0.0), as SDKs do; build metadata is ignored. */
function semVerOf(value: unknown): SemVer | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/.exec(value);
  if (!match) return undefined;
  return { parts: [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)], pre: match[4] ? match[4].split('.') : [] };
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

export function clauseMatches(clause: Omit<Clause, '_id'>, kinds: Map<string, Record<string, unknown>>, lookup: SegmentLookup, visiting: Set<string>, big?: BigSegmentProbe): boolean {
  if (clause.op === 'segmentMatch') {
    const matched = clause.values.some((key) => {
      if (typeof key !== 'string' || visiting.has(key)) return false;
      const segment = lookup.get(key);
      return segment !== undefined && membership(key, segment, kinds, lookup, visiting, big).isMember;
    });
    return matched !== clause.negate;
  }
  const kind = clause.contextKind ?? 'user';
  if (clause.attribute === 'kind') {
    const matched = [...kinds.keys()].some((k) => clause.values.some((v) => operatorMatches(clause.op, k, v)));
    return matched !== clause.negate;
  }
  const part = kinds.get(kind);
  if (!part) return false;
  const value = attributeValue(part, clause.attribute, clause.contextKind !== undefined);
  // A missing attribute matches nothing, negated or not, as in the SDKs.
  if (value === undefined || value === null) return false;
  const values = Array.isArray(value) ? value : [value];
  const matched = values.some((v) => clause.values.some((c) => operatorMatches(clause.op, v, c)));
  return matched !== clause.negate;
}

/**
 * The bucket (0–1) SDKs compute: SHA-1 of `prefix.value`, its first 15 hex digits, where the value is the attribute
 * of the context of `contextKind` (default user; `attribute` a reference only when the kind is given). A context
 * without that kind, or a value that is not a string or an integer, is bucket 0; `found` says whether it had the kind.
 */
export function bucketOf(prefix: string, attribute: string | undefined, contextKind: string | undefined, kinds: Map<string, Record<string, unknown>>): { bucket: number; found: boolean } {
  const part = kinds.get(contextKind ?? 'user');
  if (!part) return { bucket: 0, found: false };
  const value = attributeValue(part, attribute ?? 'key', contextKind !== undefined);
  const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isInteger(value) ? String(value) : undefined;
  if (text === undefined) return { bucket: 0, found: true };
  const hash = crypto.createHash('sha1').update(`${prefix}.${text}`).digest('hex').slice(0, 15);
  return { bucket: parseInt(hash, 16) / 0xfffffffffffffff, found: true };
}

/** A segment rule's bucket: prefix `segmentKey.salt`. */
function segmentBucket(segmentKey: string, salt: string, rule: Pick<SegmentRule, 'bucketBy' | 'rolloutContextKind'>, kinds: Map<string, Record<string, unknown>>): number {
  return bucketOf(`${segmentKey}.${salt}`, rule.bucketBy, rule.rolloutContextKind, kinds).bucket;
}

function targetedKeys(doc: SegmentDoc, side: 'included' | 'excluded', kinds: Map<string, Record<string, unknown>>): boolean {
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
function bigSegmentAnswer(key: string, doc: SegmentDoc, kinds: Map<string, Record<string, unknown>>, big: BigSegmentProbe | undefined): Membership | undefined {
  if (!kinds.has(doc.unboundedContextKind ?? DEFAULT_UNBOUNDED_CONTEXT_KIND)) return OUT;
  if (big) big.consulted = true;
  const target = big?.membership.get(key);
  if (target?.included) return INCLUDED;
  if (target?.excluded) return OUT;
  return undefined;
}

/** Whether the context is in the segment, and why: included, else not if excluded, else by a rule. */
export function membership(key: string, doc: SegmentDoc, kinds: Map<string, Record<string, unknown>>, lookup: SegmentLookup, visiting = new Set<string>(), big?: BigSegmentProbe): Membership {
  if (doc.unbounded) {
    const answer = bigSegmentAnswer(key, doc, kinds, big);
    if (answer) return answer;
  } else {
    if (targetedKeys(doc, 'included', kinds)) return INCLUDED;
    if (targetedKeys(doc, 'excluded', kinds)) return OUT;
  }
  const inner = new Set(visiting).add(key);
  const byRule = doc.rules.some(
    (rule) => rule.clauses.every((clause) => clauseMatches(clause, kinds, lookup, inner, big)) && (rule.weight === undefined || segmentBucket(key, doc.salt, rule, kinds) < rule.weight / 100000),
  );
  return { isMember: byRule, isIndividuallyTargeted: false, isRuleTargeted: byRule };
}
