// A segment PATCH body (semantic patch, JSON merge patch or JSON Patch), read into an edit of the segment's view.
import { validationFailed } from '../../http/errors.js';
import { applyMergePatch, deepEqual, parsePointer, PatchError } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readComment, readPatchBody, refuseBothPatchForms, wrapBareMergePatch } from '../../http/patch/resourcePatch.js';
import { isSemanticPatch, readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { attributePath } from '../../http/validation.js';
import { applySegmentInstructions, bigSegmentEdits, SEGMENT_INSTRUCTIONS, type BigSegmentEdits } from './instructions.js';
import { READ_ONLY_SEGMENT_FIELDS, WRITABLE_SEGMENT_FIELDS } from './represent.js';
import { isObject } from '../../http/patch/resourcePatch.js';

export interface SegmentUpdate {
  comment: string | undefined;
  /** What the audit log keeps as the entry's `delta`: the change as the client described it. */
  delta: unknown;
  /** The edited view; throws an ApiError when the edit cannot apply. */
  apply(view: Record<string, unknown>): Record<string, unknown>;
  /** A semantic patch's big-segment instructions: the keys they add and remove, beside the document. */
  bigSegment?: BigSegmentEdits;
}

/**
 * Terraform's launchdarkly_segment sends `replace /temporary` (a flag's field) with every update, and LaunchDarkly
 * takes it: a JSON Patch sees a `temporary` member it may set, which the segment then ignores (rules.ts keeps only
 * the writable fields).
 */
const JSON_PATCH_RULES = { writable: [...WRITABLE_SEGMENT_FIELDS, 'temporary'], readOnly: READ_ONLY_SEGMENT_FIELDS };

/** Terraform's launchdarkly_segment empties a segment's tags with `remove /tags`, which LaunchDarkly takes: no tags. */
function withTags(view: Record<string, unknown>): Record<string, unknown> {
  return view.tags === undefined ? { ...view, tags: [] } : view;
}

/**
 * LaunchDarkly: "Attributes that are not editable [...] have names that start with an underscore". A JSON Patch may
 * not write below one (a rule's or clause's `_id`: `/rules/0/_id`), as on flags; it may `test` it, and a new rule's
 * value may carry its `_id`. (A top-level `_` member is no field of the view: the general check names it.)
 */
function refuseUnderscoreWrites(ops: unknown): void {
  if (!Array.isArray(ops)) return;
  for (const op of ops) {
    if (!isObject(op) || op.op === 'test' || typeof op.path !== 'string') continue;
    const written = op.op === 'move' && typeof op.from === 'string' ? [op.path, op.from] : [op.path];
    for (const pointer of written) {
      if (!pointer.startsWith('/')) continue;
      if (parsePointer(pointer).slice(1).some((token) => token.startsWith('_'))) {
        throw validationFailed([{ attribute: pointer, reason: 'is read-only (fields whose names start with _ are)' }]);
      }
    }
  }
}

/** RFC 7386 against the view: members it may change are the writable ones; read-only ones must keep their value. */
function mergeUpdate(merge: Record<string, unknown>, comment: string | undefined): SegmentUpdate {
  return {
    comment,
    delta: merge,
    apply(view) {
      for (const member of Object.keys(merge)) {
        if (!(WRITABLE_SEGMENT_FIELDS as readonly string[]).includes(member) && !(READ_ONLY_SEGMENT_FIELDS as readonly string[]).includes(member)) {
          throw validationFailed([{ attribute: `merge.${member}`, reason: `is not a field that can be patched; patchable fields are ${WRITABLE_SEGMENT_FIELDS.join(', ')}` }]);
        }
      }
      let edited: Record<string, unknown>;
      try {
        edited = applyMergePatch(view, merge);
      } catch (err) {
        if (err instanceof PatchError) throw validationFailed([{ attribute: `merge.${attributePath(err.path)}`, reason: err.message }]);
        throw err;
      }
      for (const member of READ_ONLY_SEGMENT_FIELDS) {
        if (!deepEqual(edited[member], view[member])) throw validationFailed([{ attribute: `merge.${member}`, reason: 'is read-only and cannot be changed' }]);
      }
      return edited;
    },
  };
}

/**
 * The body as LaunchDarkly takes it: a semantic patch `{comment?, environmentKey, instructions}` (with its content
 * type, or plain JSON as generated clients send it), a merge patch `{comment?, merge}` or the merge patch itself, a
 * bare JSON Patch array, or `{comment?, patch}`. `environmentKey` is the environment of the URL: a semantic patch
 * naming another is a 400.
 */
export function parseSegmentUpdate(sent: unknown, contentType: string | undefined, environmentKey: string): SegmentUpdate {
  refuseBothPatchForms(sent);
  if (isSemanticPatch(sent, contentType)) {
    const patch = readSemanticPatch(sent, SEGMENT_INSTRUCTIONS);
    if (patch.environmentKey !== undefined && patch.environmentKey !== environmentKey) {
      throw validationFailed([{ attribute: 'environmentKey', reason: `is "${patch.environmentKey}", but the segment is in environment "${environmentKey}" (the URL's)` }]);
    }
    return {
      comment: patch.comment,
      delta: { environmentKey, instructions: (sent as { instructions: unknown }).instructions },
      apply: (view) => applySegmentInstructions(view, patch),
      bigSegment: bigSegmentEdits(patch),
    };
  }
  const body = wrapBareMergePatch(sent);
  if (isObject(body) && Object.hasOwn(body, 'merge')) {
    const comment = readComment(body);
    if (!isObject(body.merge)) throw validationFailed([{ attribute: 'merge', reason: 'must be an object (RFC 7386 JSON merge patch of the segment)' }]);
    return mergeUpdate(body.merge, comment);
  }
  if (isObject(body) && !Object.hasOwn(body, 'patch')) {
    throw validationFailed([{ attribute: 'patch', reason: 'must be present (or send the JSON Patch array itself as the body, a JSON merge patch as the body itself or as {"merge": ...}, or a semantic patch {"instructions": [...]})' }]);
  }
  const { ops, comment } = readPatchBody(body);
  refuseUnderscoreWrites(ops);
  return { comment, delta: ops, apply: (view) => withTags(applyResourcePatch({ ...view, temporary: false }, ops, JSON_PATCH_RULES)) };
}
