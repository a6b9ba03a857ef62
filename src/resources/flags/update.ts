// A flag PATCH body, parsed into an edit of the flag representation; JSON Patch today, merge and semantic patch later.
import { optimisticLock, validationFailed, type FieldError } from '../../http/errors.js';
import { applyJsonPatch, checkOperations, PatchError, type PatchOperation } from '../../http/patch/jsonPatch.js';
import { attributePath } from '../../http/validation.js';
import { readOnlyError, readOnlyReason } from './editable.js';

/** One way of describing a change: it turns the current representation into the edited one, or throws an ApiError. */
export interface FlagUpdate {
  comment: string | undefined;
  apply(rep: Record<string, unknown>, environmentKeys: ReadonlySet<string>): unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 6902 against the representation: writes only at editable paths; `test` may read anything. */
export function jsonPatchUpdate(ops: PatchOperation[], comment: string | undefined): FlagUpdate {
  return {
    comment,
    apply(rep, environmentKeys) {
      const errors: FieldError[] = [];
      for (const op of ops) {
        if (op.op === 'test') continue;
        const written = op.op === 'move' ? [op.path, op.from!] : [op.path];
        for (const pointer of written) {
          const reason = readOnlyReason(pointer, environmentKeys);
          if (reason) errors.push(readOnlyError(pointer, reason));
        }
      }
      if (errors.length > 0) throw validationFailed(errors);
      try {
        return applyJsonPatch(rep, ops);
      } catch (err) {
        if (!(err instanceof PatchError)) throw err;
        // A failed `test` is a precondition that no longer holds: the client's view is stale (see docs/compatibility.md).
        if (err.testFailed) throw optimisticLock(`Conflict. Optimistic lock error: ${err.message}`);
        throw validationFailed([{ attribute: attributePath(err.path) || 'patch', reason: `patch[${err.index}] ${err.message}` }]);
      }
    },
  };
}

/** The body as LaunchDarkly takes it: a bare JSON Patch array, or `{comment?, patch}`. */
export function parseFlagUpdate(body: unknown, contentType: string | undefined): FlagUpdate {
  if (/domain-model\s*=\s*launchdarkly\.semanticpatch/i.test(contentType ?? '') || (isObject(body) && Object.hasOwn(body, 'instructions'))) {
    throw validationFailed([{ attribute: 'instructions', reason: 'semantic patch is not supported for flags yet; send a JSON Patch (an array, or {"comment", "patch"})' }]);
  }
  if (isObject(body) && Object.hasOwn(body, 'merge')) {
    throw validationFailed([{ attribute: 'merge', reason: 'JSON merge patch is not supported for flags yet; send a JSON Patch (an array, or {"comment", "patch"})' }]);
  }
  let ops: unknown = body;
  let comment: string | undefined;
  if (isObject(body)) {
    if (!Object.hasOwn(body, 'patch')) throw validationFailed([{ attribute: 'patch', reason: 'must be present (or send the JSON Patch array itself as the body)' }]);
    if (body.comment !== undefined && typeof body.comment !== 'string') throw validationFailed([{ attribute: 'comment', reason: 'must be a string' }]);
    ops = body.patch;
    comment = body.comment as string | undefined;
  }
  const problems = checkOperations(ops);
  if (problems.length > 0) {
    // The operations are `patch[i]` whether they came bare or inside {comment, patch}.
    throw validationFailed(problems.map((p) => ({ attribute: p.index >= 0 ? `patch[${p.index}]` : isObject(body) ? 'patch' : 'body', reason: p.reason })));
  }
  return jsonPatchUpdate(ops as PatchOperation[], comment);
}
