// A client's bare JSON Patch applied to a resource's editable view, with LaunchDarkly's rules on what it may touch.
import { ApiError, validationFailed } from '../errors.js';
import { applyJsonPatch, applyMergePatch, checkOperations, clone, deepEqual, isObject, parsePointer, PatchError, testedPointer, type PatchOperation } from './jsonPatch.js';

export { isObject };

export interface PatchRules {
  /** Top-level members a patch may change. */
  writable: readonly string[];
  /** Members a patch may read (`test`) or set to the value they already have, but not change. */
  readOnly: readonly string[];
  /** Members older clients still send (Terraform's `/isActive`): operations on them are accepted and dropped. */
  ignored?: readonly string[];
  /** Other names of writable members (`analysisUnits` for `randomizationUnits`). */
  aliases?: Record<string, string>;
}

function topMember(pointer: string): string {
  return parsePointer(pointer)[0] ?? '';
}

function withAlias(pointer: string, aliases: Record<string, string> | undefined): string {
  const tokens = parsePointer(pointer);
  const target = tokens.length > 0 ? aliases?.[tokens[0]] : undefined;
  return target ? `/${[target, ...tokens.slice(1)].join('/')}` : pointer;
}

function checkMember(pointer: string, rules: PatchRules, index: number): void {
  const member = topMember(pointer);
  if (member === '') throw validationFailed([{ attribute: `patch[${index}].path`, reason: 'must name a field; the whole resource cannot be replaced' }]);
  if (!rules.writable.includes(member) && !rules.readOnly.includes(member)) {
    throw validationFailed([{ attribute: pointer, reason: `is not a field that can be patched; patchable fields are ${rules.writable.join(', ')}` }]);
  }
}

/** A patch body's optional `comment`; anything but a string is a 400 naming it. */
export function readComment(body: Record<string, unknown>): string | undefined {
  if (body.comment !== undefined && typeof body.comment !== 'string') throw validationFailed([{ attribute: 'comment', reason: 'must be a string' }]);
  return body.comment as string | undefined;
}

/**
 * A bare array of operations, or LaunchDarkly's `{comment, patch}` wrapper ("Updates with comments"), which some
 * clients send to every JSON Patch endpoint.
 */
export function readPatchBody(body: unknown): { ops: unknown; comment: string | undefined } {
  if (isObject(body) && 'patch' in body) {
    return { ops: body.patch, comment: readComment(body) };
  }
  return { ops: body, comment: undefined };
}

/**
 * A body with two forms of change side by side (a JSON Patch `patch`, a merge patch `merge`, a semantic patch's
 * `instructions`) is a 400: which one applies would be a guess, and custom roles are asked about what a body changes.
 */
export function refuseBothPatchForms(body: unknown): void {
  if (!isObject(body)) return;
  const forms = ['patch', 'merge', 'instructions'].filter((form) => Object.hasOwn(body, form));
  if (forms.length > 1) {
    throw validationFailed([{ attribute: forms[1], reason: `cannot be sent with ${forms[0]}: send one of a JSON Patch (patch), a merge patch (merge) or a semantic patch (instructions)` }]);
  }
}

/**
 * A body that is itself an RFC 7386 merge patch, as LaunchDarkly documents (`{"description": "New flag description"}`),
 * in the `{comment?, merge}` form: an object naming none of `patch`, `merge` and `instructions`, with a member besides
 * `comment` (a `comment` member is the update's comment, not part of the merge). Any other body is returned as it is:
 * `{}` or a lone comment changes nothing and keeps its 400. A caller that takes semantic patches decides first whether
 * the body is one (its content type may say so).
 */
export function wrapBareMergePatch(body: unknown): unknown {
  if (!isObject(body) || ['patch', 'merge', 'instructions'].some((form) => Object.hasOwn(body, form))) return body;
  const { comment, ...merge } = body;
  if (Object.keys(merge).length === 0) return body;
  return { ...(Object.hasOwn(body, 'comment') ? { comment } : {}), merge };
}

/** A PATCH body read by readResourceEdit: its comment, the change as the audit log keeps it, and its operations. */
export interface ResourceEdit {
  comment: string | undefined;
  delta: unknown;
  /** The edit as JSON Patch operations on `view` (a merge patch's depend on what is there). */
  operations: (view: Record<string, unknown>) => unknown;
}

/**
 * The body as LaunchDarkly takes it for resources that accept both: a bare JSON Patch array, `{comment?, patch}`, or a
 * merge patch, bare or as `{comment?, merge}`. `what` names the resource in messages ("custom role").
 */
export function readResourceEdit(sent: unknown, rules: PatchRules, what: string): ResourceEdit {
  refuseBothPatchForms(sent);
  const body = wrapBareMergePatch(sent);
  if (isObject(body) && Object.hasOwn(body, 'merge')) {
    const comment = readComment(body);
    const merge = body.merge;
    if (!isObject(merge)) throw validationFailed([{ attribute: 'merge', reason: `must be an object (RFC 7386 JSON merge patch of the ${what})` }]);
    // Each member the merge names becomes one operation on it, so that the same rules as a JSON Patch's apply.
    const operations = (view: Record<string, unknown>): PatchOperation[] =>
      Object.entries(merge).flatMap(([member, value]): PatchOperation[] => {
        const path = `/${member.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (value !== null) return [{ op: 'replace', path, value: applyMergePatch(view[member], value) }];
        // Deleting a field that is not there is nothing to do; naming one that is no field of the resource is still an error.
        const known = rules.writable.includes(member) || rules.readOnly.includes(member);
        return Object.hasOwn(view, member) || !known ? [{ op: 'remove', path }] : [];
      });
    return { comment, delta: merge, operations };
  }
  if (isObject(body) && !Object.hasOwn(body, 'patch')) {
    throw validationFailed([{ attribute: 'patch', reason: 'must be present (or send the JSON Patch array itself as the body, or a JSON merge patch as the body itself or as {"merge": ...})' }]);
  }
  const { ops, comment } = readPatchBody(body);
  return { comment, delta: ops, operations: () => ops };
}

/**
 * Applies `body` (RFC 6902 operations) to a copy of `view` and returns the result.
 * - A malformed patch or an operation that cannot be applied is a 400 naming the operation.
 * - A read-only member that ends up different is a 400 naming it; setting it to its current value is allowed.
 * - `replace` of an absent writable member adds it (clients replace optional fields that were never set).
 * - A failed `test` is a 409 optimistic_locking_error: the resource is not what the client read. `test /version` reads
 *   `_version` when the view has no `version` (LaunchDarkly's documented precondition).
 */
export function applyResourcePatch(view: Record<string, unknown>, body: unknown, rules: PatchRules): Record<string, unknown> {
  const problems = checkOperations(body);
  if (problems.length > 0) {
    throw validationFailed(problems.map((p) => ({ attribute: p.index < 0 ? 'body' : `patch[${p.index}]`, reason: p.reason })));
  }
  let result: Record<string, unknown> = clone(view);
  (body as PatchOperation[]).forEach((original, index) => {
    const op: PatchOperation = { ...original, path: withAlias(original.path, rules.aliases) };
    if (op.from !== undefined) op.from = withAlias(op.from, rules.aliases);
    if (op.op !== 'test' && rules.ignored?.includes(topMember(op.path))) return;
    // `test /version` reads the resource's `_version` (see testedPointer), which every resource lets a client read.
    const versionTest = op.op === 'test' && testedPointer(result, op.path) !== op.path;
    if (!versionTest) checkMember(op.path, rules, index);
    if (op.from !== undefined) checkMember(op.from, rules, index);
    const tokens = parsePointer(op.path);
    if (op.op === 'replace' && tokens.length === 1 && rules.writable.includes(tokens[0]) && !Object.hasOwn(result, tokens[0])) op.op = 'add';
    try {
      result = applyJsonPatch(result, [op]);
    } catch (err) {
      if (!(err instanceof PatchError)) throw err;
      if (err.testFailed) throw new ApiError(409, 'optimistic_locking_error', `Conflict. Optimistic lock error: operation ${index} ${err.message}`);
      throw validationFailed([{ attribute: `patch[${index}]`, reason: err.message }]);
    }
  });
  for (const member of rules.readOnly) {
    if (!deepEqual(result[member], view[member])) throw validationFailed([{ attribute: `/${member}`, reason: 'is read-only and cannot be changed' }]);
  }
  return result;
}
