// A context instance as clients send one to the REST API's evaluation operations (the SDKs' context format): its
// checks, and its parts by context kind.
import { validationFailed, type FieldError } from '../../http/errors.js';

/** A context as the SDKs take it: one kind (`kind` absent: a legacy user) or `kind: "multi"` with one per kind. */
export type Context = Record<string, unknown>;

/** The context of each kind in `context`, by kind (a legacy user's `custom` attributes lifted to the top, as SDKs do). */
export function contextsByKind(context: Context): Map<string, Record<string, unknown>> {
  const kinds = new Map<string, Record<string, unknown>>();
  if (context.kind === 'multi') {
    for (const [kind, part] of Object.entries(context)) {
      if (kind !== 'kind' && part !== null && typeof part === 'object' && !Array.isArray(part)) kinds.set(kind, part as Record<string, unknown>);
    }
  } else if (context.kind === undefined) {
    const custom = context.custom !== null && typeof context.custom === 'object' ? (context.custom as Record<string, unknown>) : {};
    kinds.set('user', { ...custom, ...context });
  } else if (typeof context.kind === 'string') {
    kinds.set(context.kind, context);
  }
  return kinds;
}

const KIND_PATTERN = /^[A-Za-z0-9._-]+$/;

/** A context the SDKs would evaluate: each kind's part an object with a non-empty string `key`. */
export function contextProblems(body: unknown): FieldError[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [{ attribute: 'body', reason: 'must be a context object, e.g. {"kind": "user", "key": "user-key-123abc"}' }];
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
    else if (part === null || typeof part !== 'object' || Array.isArray(part)) errors.push({ attribute: kind, reason: 'must be a context object' });
    else if (typeof (part as Context).key !== 'string' || (part as Context).key === '') errors.push({ attribute: `${at}key`, reason: 'must be a non-empty string' });
  }
  return errors;
}


/** The context a REST evaluation's body holds, by kind, or one 400 naming each problem. */
export function contextOfBody(body: unknown): Map<string, Record<string, unknown>> {
  const errors = contextProblems(body);
  if (errors.length > 0) throw validationFailed(errors);
  return contextsByKind(body as Context);
}
