// Pure: from an edited segment view (or a create's body) to the stored segment, with every check that spans fields.
import { validationFailed, type FieldError } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { check } from '../../http/validation.js';
import { hex32, uuid } from '../../store/ids.js';
import { compact } from '../flags/model.js';
import { normalizeClause } from '../flags/editable.js';
import { checkAttributeReference, checkClause, checkContextKind, storedReferences, type StoredReferences } from '../flags/validate.js';
import { checkBigSegmentFields, DEFAULT_UNBOUNDED_CONTEXT_KIND } from './bigSegments.js';
import type { SegmentDoc, SegmentRule, SegmentTarget } from './model.js';
import { WRITABLE_SEGMENT_FIELDS } from './represent.js';
import { EditableSegment, type SegmentBody, type SegmentRuleInput, type SegmentTargetInput } from './schemas.js';

/**
 * Beyond this many individual targets LaunchDarkly makes a list-based segment a big segment: a standard segment holds
 * at most this many.
 */
export const MAX_SEGMENT_TARGETS = 15000;

/** A context kind's key as LaunchDarkly takes one; `kind` and `multi` are not kinds a context can be of. */
const CONTEXT_KIND_PATTERN = /^[A-Za-z0-9._-]+$/;

/**
 * What postSegment's body makes of `unbounded` and `unboundedContextKind`: a big segment of that kind (default user),
 * or a standard segment; a kind given for a standard segment is refused, since it would be dropped.
 */
function bigSegmentFields(body: SegmentBody): Pick<SegmentDoc, 'unbounded' | 'unboundedContextKind' | 'generation'> {
  const kind = body.unboundedContextKind ?? '';
  if (body.unbounded !== true) {
    if (kind !== '') throw validationFailed([{ attribute: 'unboundedContextKind', reason: 'applies only to big segments: send it with unbounded: true' }]);
    return {};
  }
  if (kind !== '' && (!CONTEXT_KIND_PATTERN.test(kind) || kind === 'kind' || kind === 'multi')) {
    throw validationFailed([{ attribute: 'unboundedContextKind', reason: `"${kind}" is not a context kind: letters, digits, '.', '_' and '-', and not "kind" or "multi"` }]);
  }
  return { unbounded: true, unboundedContextKind: kind === '' ? DEFAULT_UNBOUNDED_CONTEXT_KIND : kind, generation: 1 };
}

/** A new segment from postSegment's body: no targets, no rules, version 1; a big segment when `unbounded` is true. */
export function newSegment(body: SegmentBody, now: number): SegmentDoc {
  return compact({
    ...bigSegmentFields(body),
    name: body.name,
    description: body.description,
    tags: unique(body.tags ?? []),
    creationDate: now,
    lastModifiedDate: now,
    included: [],
    excluded: [],
    includedContexts: [],
    excludedContexts: [],
    rules: [],
    version: 1,
    salt: hex32(),
  });
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** One entry per context kind (entries of a kind given twice are merged), keys once each, empty entries dropped. */
function normalizeTargets(targets: SegmentTarget[]): SegmentTarget[] {
  const byKind = new Map<string, string[]>();
  for (const target of targets) byKind.set(target.contextKind, [...(byKind.get(target.contextKind) ?? []), ...target.values]);
  return [...byKind].filter(([, values]) => values.length > 0).map(([contextKind, values]) => ({ contextKind, values: unique(values) }));
}

/**
 * The entries of a `…Contexts` list as targets: an entry without keys is dropped (LaunchDarkly takes the `{}` entries
 * Terraform sends and keeps none of them); keys without a context kind are refused.
 */
function readTargets(entries: SegmentTargetInput[], field: string, errors: FieldError[]): SegmentTarget[] {
  const targets: SegmentTarget[] = [];
  entries.forEach((entry, i) => {
    const values = entry.values ?? [];
    if (entry.contextKind !== undefined) targets.push({ contextKind: entry.contextKind, values });
    else if (values.length > 0) errors.push({ attribute: `${field}[${i}].contextKind`, reason: 'must be present' });
  });
  return targets;
}

function normalizeRule(rule: SegmentRuleInput): SegmentRule {
  return compact({
    _id: rule._id ?? uuid(),
    clauses: rule.clauses.map(normalizeClause),
    weight: rule.weight,
    // A rollout's context kind defaults to user, as addRule's does (Terraform's provider tests expect it of a JSON Patch).
    rolloutContextKind: rule.rolloutContextKind ?? (rule.weight !== undefined ? 'user' : undefined),
    bucketBy: rule.bucketBy,
    description: rule.description,
  });
}

/** The keys a segment includes or excludes for one context kind (user keys may be in both of their lists). */
function keysOf(doc: SegmentDoc, side: 'included' | 'excluded', contextKind: string): Set<string> {
  const contexts = side === 'included' ? doc.includedContexts : doc.excludedContexts;
  const keys = new Set(contexts.find((t) => t.contextKind === contextKind)?.values ?? []);
  if (contextKind === 'user') for (const key of doc[side]) keys.add(key);
  return keys;
}

/** A key both included and excluded for the same context kind is refused (LaunchDarkly refuses it too). */
function checkTargets(doc: SegmentDoc, errors: FieldError[]): void {
  const excludedUsers = keysOf(doc, 'excluded', 'user');
  doc.included.forEach((key, i) => {
    if (excludedUsers.has(key)) errors.push({ attribute: `included[${i}]`, reason: `"${key}" is also excluded; a key cannot be both included and excluded` });
  });
  doc.includedContexts.forEach((target, i) => {
    const excluded = keysOf(doc, 'excluded', target.contextKind);
    target.values.forEach((key, j) => {
      if (excluded.has(key)) {
        errors.push({ attribute: `includedContexts[${i}].values[${j}]`, reason: `"${key}" (${target.contextKind}) is also excluded; a key cannot be both included and excluded` });
      }
    });
  });
  for (const side of ['includedContexts', 'excludedContexts'] as const) {
    doc[side].forEach((target, i) => checkContextKind(errors, `${side}[${i}].contextKind`, target.contextKind));
  }
  const count = doc.included.length + doc.excluded.length + [...doc.includedContexts, ...doc.excludedContexts].reduce((n, t) => n + t.values.length, 0);
  if (count > MAX_SEGMENT_TARGETS) {
    errors.push({ attribute: 'included', reason: `the segment would have ${count} individual targets; a standard segment holds at most ${MAX_SEGMENT_TARGETS} (create a big segment, unbounded: true, for more)` });
  }
}

function checkRules(rules: SegmentRule[], errors: FieldError[], stored: StoredReferences): void {
  const ruleIds = new Map<string, number>();
  rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    const twin = ruleIds.get(rule._id);
    if (twin !== undefined) errors.push({ attribute: `${at}._id`, reason: `duplicates the _id of rules[${twin}]` });
    ruleIds.set(rule._id, i);
    const clauseIds = new Set<string>();
    rule.clauses.forEach((clause, j) => {
      if (clauseIds.has(clause._id)) errors.push({ attribute: `${at}.clauses[${j}]._id`, reason: 'duplicates the _id of another clause of this rule' });
      clauseIds.add(clause._id);
      checkClause(errors, `${at}.clauses[${j}]`, clause, stored);
    });
    checkContextKind(errors, `${at}.rolloutContextKind`, rule.rolloutContextKind);
    checkAttributeReference(errors, `${at}.bucketBy`, rule.bucketBy, rule.rolloutContextKind, stored);
  });
}

function editablePart(view: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(WRITABLE_SEGMENT_FIELDS.filter((field) => view[field] !== undefined).map((field) => [field, view[field]]));
}

/**
 * The segment an edited view describes: its shape checked, new rules and clauses given ids, duplicate keys dropped,
 * and the checks that span fields. Throws one 400 listing every problem. `changed` is false when the edit changed
 * nothing; otherwise the version is one more and `lastModifiedDate` is now.
 */
export function segmentFrom(view: Record<string, unknown>, before: SegmentDoc, now: number): { doc: SegmentDoc; changed: boolean } {
  const part = editablePart(view);
  const shapeErrors = check(EditableSegment, part);
  if (shapeErrors.length > 0) throw validationFailed(shapeErrors);
  const edited = part as EditableSegment;
  const targetErrors: FieldError[] = [];
  const includedContexts = readTargets(edited.includedContexts, 'includedContexts', targetErrors);
  const excludedContexts = readTargets(edited.excludedContexts, 'excludedContexts', targetErrors);
  if (targetErrors.length > 0) throw validationFailed(targetErrors);
  const candidate: SegmentDoc = compact({
    ...before,
    name: edited.name,
    description: edited.description,
    tags: unique(edited.tags),
    included: unique(edited.included),
    excluded: unique(edited.excluded),
    includedContexts: normalizeTargets(includedContexts),
    excludedContexts: normalizeTargets(excludedContexts),
    rules: edited.rules.map(normalizeRule),
  });
  const errors: FieldError[] = [];
  checkBigSegmentFields(candidate, errors);
  checkTargets(candidate, errors);
  checkRules(candidate.rules, errors, storedReferences(before.rules));
  if (errors.length > 0) throw validationFailed(errors);
  if (deepEqual(candidate, before)) return { doc: before, changed: false };
  return { doc: { ...candidate, version: before.version + 1, lastModifiedDate: now }, changed: true };
}
