// A flag PATCH body (JSON Patch, JSON merge patch or semantic patch), parsed into an edit of the flag representation.
import { optimisticLock, validationFailed, type FieldError } from '../../http/errors.js';
import { readComment, refuseBothPatchForms, wrapBareMergePatch } from '../../http/patch/resourcePatch.js';
import { applyJsonPatch, applyMergePatch, checkOperations, deepEqual, PatchError, type PatchOperation } from '../../http/patch/jsonPatch.js';
import { isSemanticPatch, readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { attributePath } from '../../http/validation.js';
import { isIgnoredWrite, readOnlyError, readOnlyReason } from './editable.js';
import { applyInstructions, FLAG_INSTRUCTIONS, type InstructionContext } from './instructions.js';

export interface UpdateContext extends InstructionContext {
  environmentKeys: ReadonlySet<string>;
}

/** One way of describing a change: it turns the current representation into the edited one, or throws an ApiError. */
export interface FlagUpdate {
  comment: string | undefined;
  /** What the audit log keeps as the entry's `delta`: the change as the client described it. */
  delta: unknown;
  apply(rep: Record<string, unknown>, context: UpdateContext): Promise<unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * RFC 6902 against the representation: writes only at editable paths; `test` may read anything (`/version` reads
 * `_version`, LaunchDarkly's documented precondition: see testedPointer). As LaunchDarkly's,
 * a `replace` of a member that is not set adds it (Terraform replaces `/maintainerTeamKey`, a variation's `name`, an
 * environment's removed `offVariation`), removals the Terraform provider lists in ascending order remove what their
 * indexes named before them, and writes at the few ignored paths are dropped (see docs/compatibility.md).
 */
export function jsonPatchUpdate(ops: PatchOperation[], comment: string | undefined): FlagUpdate {
  return {
    comment,
    delta: ops,
    async apply(rep, { environmentKeys }) {
      const errors: FieldError[] = [];
      // The operations applied, with their index in the patch as sent (for messages).
      const applied: { op: PatchOperation; index: number }[] = [];
      ops.forEach((op, index) => {
        if (!isIgnoredWrite(op, environmentKeys)) applied.push({ op, index });
      });
      for (const { op } of applied) {
        if (op.op === 'test') continue;
        const written = op.op === 'move' ? [op.path, op.from!] : [op.path];
        for (const pointer of written) {
          const reason = readOnlyReason(pointer, environmentKeys);
          if (reason) errors.push(readOnlyError(pointer, reason));
        }
      }
      if (errors.length > 0) throw validationFailed(errors);
      try {
        return applyJsonPatch(rep, applied.map(({ op }) => op), { replaceAbsentMember: true, removeRunsFromBefore: true });
      } catch (err) {
        if (!(err instanceof PatchError)) throw err;
        // A failed `test` is a precondition that no longer holds: the client's view is stale (see docs/compatibility.md).
        if (err.testFailed) throw optimisticLock(`Conflict. Optimistic lock error: ${err.message}`);
        const index = applied[err.index]?.index ?? err.index;
        throw validationFailed([{ attribute: attributePath(err.path) || 'patch', reason: `patch[${index}] ${err.message}` }]);
      }
    },
  };
}

/** The pointers a merge patch would change (leaves whose value differs from the current one), for the read-only check. */
function mergeWrites(current: unknown, merge: Record<string, unknown>, pointer: string, out: string[]): string[] {
  for (const [key, value] of Object.entries(merge)) {
    const path = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const existing = isObject(current) ? current[key] : undefined;
    if (isObject(value) && isObject(existing)) mergeWrites(existing, value, path, out);
    else if (value === null ? existing !== undefined : !deepEqual(existing, value)) out.push(path);
  }
  return out;
}

/** RFC 7386 against the representation; a member it changes must be editable (see docs/compatibility.md). */
export function mergePatchUpdate(merge: Record<string, unknown>, comment: string | undefined): FlagUpdate {
  return {
    comment,
    delta: merge,
    async apply(rep, { environmentKeys }) {
      const errors: FieldError[] = [];
      for (const pointer of mergeWrites(rep, merge, '', [])) {
        const reason = readOnlyReason(pointer, environmentKeys);
        if (reason) errors.push({ ...readOnlyError(pointer, reason), attribute: `merge.${attributePath(pointer)}` });
      }
      if (errors.length > 0) throw validationFailed(errors);
      try {
        return applyMergePatch(rep, merge);
      } catch (err) {
        if (err instanceof PatchError) throw validationFailed([{ attribute: `merge.${attributePath(err.path)}`, reason: err.message }]);
        throw err;
      }
    },
  };
}

/**
 * A semantic patch with the instruction `deleteFlag`: the flag is to be deleted, as DELETE deletes it. The instruction
 * must be the patch's only one (a 400 naming it otherwise: nothing would be left to change). Undefined for any other body.
 */
export function readFlagDeletion(body: unknown, contentType: string | undefined): { comment: string | undefined } | undefined {
  if (!isObject(body) || !Array.isArray(body.instructions) || !isSemanticPatch(body, contentType)) return undefined;
  const index = body.instructions.findIndex((instruction) => isObject(instruction) && instruction.kind === 'deleteFlag');
  if (index < 0) return undefined;
  refuseBothPatchForms(body);
  const patch = readSemanticPatch(body, FLAG_INSTRUCTIONS);
  if (patch.instructions.length > 1) {
    throw validationFailed([{ attribute: `instructions[${index}]`, reason: 'deleteFlag deletes the flag, so it must be the only instruction of its patch' }]);
  }
  return { comment: patch.comment };
}

/**
 * The body as LaunchDarkly takes it: a semantic patch `{comment?, environmentKey?, instructions}` (with its content
 * type, or plain JSON as generated clients send it), a merge patch `{comment?, merge}` or the merge patch itself
 * (`{"description": "New flag description"}`, as LaunchDarkly documents), a bare JSON Patch array, or `{comment?, patch}`.
 */
export function parseFlagUpdate(sent: unknown, contentType: string | undefined): FlagUpdate {
  refuseBothPatchForms(sent);
  if (isSemanticPatch(sent, contentType)) {
    const patch = readSemanticPatch(sent, FLAG_INSTRUCTIONS);
    return {
      comment: patch.comment,
      delta: { ...(patch.environmentKey !== undefined ? { environmentKey: patch.environmentKey } : {}), instructions: (sent as { instructions: unknown }).instructions },
      apply: (rep, context) => applyInstructions(rep, patch, context),
    };
  }
  const body = wrapBareMergePatch(sent);
  if (isObject(body) && Object.hasOwn(body, 'merge')) {
    const comment = readComment(body);
    if (!isObject(body.merge)) throw validationFailed([{ attribute: 'merge', reason: 'must be an object (RFC 7386 JSON merge patch of the flag)' }]);
    return mergePatchUpdate(body.merge, comment);
  }
  let ops: unknown = body;
  let comment: string | undefined;
  if (isObject(body)) {
    if (!Object.hasOwn(body, 'patch')) throw validationFailed([{ attribute: 'patch', reason: 'must be present (or send the JSON Patch array itself as the body, a JSON merge patch as the body itself or as {"merge": ...}, or a semantic patch {"instructions": [...]})' }]);
    comment = readComment(body);
    ops = body.patch;
  }
  const problems = checkOperations(ops);
  if (problems.length > 0) {
    // The operations are `patch[i]` whether they came bare or inside {comment, patch}.
    throw validationFailed(problems.map((p) => ({ attribute: p.index >= 0 ? `patch[${p.index}]` : isObject(body) ? 'patch' : 'body', reason: p.reason })));
  }
  return jsonPatchUpdate(ops as PatchOperation[], comment);
}
