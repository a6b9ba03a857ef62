// Schema pieces several resources share.
import { Type, type Static, type TSchema, type TString } from '@sinclair/typebox';

/** LaunchDarkly keys: letters, digits, '.', '_' and '-'. */
export const KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
export const Key = Type.String({ minLength: 1, maxLength: 256, pattern: KEY_PATTERN });
export const Name = Type.String({ minLength: 1, maxLength: 1024 });
/** A resource's description: as long as a flag's may be. */
export const Description = Type.String({ maxLength: 8192 });
/** Any JSON object (a tool's JSON Schema, custom parameters, an edge's handoff): kept as sent. */
export const JsonObject = Type.Unsafe<Record<string, unknown>>({ type: 'object' });
export const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000 });

/** A string that must be one of `values`; reported as `must be one of "a", "b"` (a union of literals is not). */
export function StringEnum<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

/**
 * An object whose every member is `value`, with member names checked by `key`. Used instead of TypeBox's Record,
 * which checks members through `patternProperties: {"^(.*)$": ...}`: `.` does not match a line break, so a member
 * whose name holds one was not checked at all (and the key's own limits were never applied).
 */
export function StringRecord<T extends TSchema>(value: T, key: TString = Type.String(), options: { maxProperties?: number } = {}) {
  return Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: value, propertyNames: key, ...options });
}
