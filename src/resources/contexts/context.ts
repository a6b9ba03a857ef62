// A context instance as clients send one to the REST API's evaluation operations (the SDKs' context format): its
// checks, and its parts by context kind.
import { validationFailed, type FieldError } from '../../http/errors.js';
import { isObject } from '../../http/patch/resourcePatch.js';

/** A context as the SDKs take it: one kind (`kind` absent: a legacy user) or `kind: "multi"` with one per kind. */
export type Context = Record<string, unknown>;

/** The built-in attributes of a legacy user, read from its top level; every other attribute is in `custom`. */
const LEGACY_BUILT_INS = ['name', 'ip', 'firstName', 'lastName', 'email', 'avatar', 'country'];

/**
 * A legacy user (no `kind`) as the SDKs read one: its `custom` attributes, its key, `anonymous` as a boolean when
 * given, and the built-in attributes; other top-level members are not attributes.
 */
function legacyUser(user: Context): Record<string, unknown> {
  const custom = isObject(user.custom) ? user.custom : {};
  const part: Record<string, unknown> = { ...custom, kind: 'user', key: String(user.key) };
  if (user.anonymous !== null && user.anonymous !== undefined) part.anonymous = !!user.anonymous;
  for (const name of LEGACY_BUILT_INS) if (user[name] !== null && user[name] !== undefined) part[name] = user[name];
  if (user.privateAttributeNames !== null && user.privateAttributeNames !== undefined) part._meta = { privateAttributes: user.privateAttributeNames };
  return part;
}

/** The context of each kind in `context`, by kind (a legacy user read as the SDKs read one). */
export function contextsByKind(context: Context): Map<string, Record<string, unknown>> {
  const kinds = new Map<string, Record<string, unknown>>();
  if (context.kind === 'multi') {
    for (const [kind, part] of Object.entries(context)) {
      if (kind !== 'kind' && isObject(part)) kinds.set(kind, part);
    }
  } else if (context.kind === undefined) {
    kinds.set('user', legacyUser(context));
  } else if (typeof context.kind === 'string') {
    kinds.set(context.kind, context);
  }
  return kinds;
}

const KIND_PATTERN = /^[A-Za-z0-9._-]+$/;

/**
 * A legacy user's key as the SDKs take one (`legacyKeys` true, on the SDK endpoints): any text, empty included (the
 * Go and Node SDKs read the old user format so), or a number, which is its text (the JavaScript SDKs send
 * `String(key)`; contextsByKind reads it so).
 */
function isLegacyUserKey(key: unknown): boolean {
  return typeof key === 'string' || (typeof key === 'number' && Number.isFinite(key));
}

/**
 * A context the SDKs would evaluate: each kind's part an object with a non-empty string `key`. A legacy user's (no
 * `kind`) key may be empty, as LaunchDarkly's context parser reads the old user format (the REST operations); with
 * `legacyKeys` (the SDK endpoints) it may also be a number, as isLegacyUserKey takes it.
 */
export function contextProblems(body: unknown, legacyKeys = false): FieldError[] {
  if (!isObject(body)) return [{ attribute: 'body', reason: 'must be a context object, e.g. {"kind": "user", "key": "user-key-123abc"}' }];
  const context = body as Context;
  if (context.kind !== undefined && (typeof context.kind !== 'string' || (context.kind !== 'multi' && (context.kind === 'kind' || !KIND_PATTERN.test(context.kind))))) {
    return [{ attribute: 'kind', reason: 'must be a context kind (letters, digits, ".", "_" and "-") or "multi"' }];
  }
  const parts = context.kind === 'multi' ? Object.entries(context).filter(([key]) => key !== 'kind') : [['', context] as const];
  if (parts.length === 0) return [{ attribute: 'body', reason: 'a multi-context must hold at least one context' }];
  const errors: FieldError[] = [];
  for (const [kind, part] of parts) {
    const at = kind === '' ? '' : `${kind}.`;
    if (kind !== '' && !KIND_PATTERN.test(kind)) errors.push({ attribute: kind, reason: 'is not a context kind (letters, digits, ".", "_" and "-")' });
    else if (!isObject(part)) errors.push({ attribute: kind, reason: 'must be a context object' });
    else if (context.kind === undefined) {
      if (legacyKeys ? !isLegacyUserKey(context.key) : typeof context.key !== 'string') {
        errors.push({ attribute: 'key', reason: `must be a string${legacyKeys ? ' or a number' : ''} (a legacy user's, without a kind, may be empty)` });
      }
    } else if (typeof (part as Context).key !== 'string' || (part as Context).key === '') errors.push({ attribute: `${at}key`, reason: 'must be a non-empty string' });
  }
  return errors;
}


/** The context a REST evaluation's body holds, by kind, or one 400 naming each problem. */
export function contextOfBody(body: unknown): Map<string, Record<string, unknown>> {
  const errors = contextProblems(body);
  if (errors.length > 0) throw validationFailed(errors);
  return contextsByKind(body as Context);
}
