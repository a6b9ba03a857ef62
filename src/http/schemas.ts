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
/**
 * LaunchDarkly's tags: "Tag names can include only letters, numbers, periods ., underscores _, and dashes -", at most
 * 64 characters (as LaunchDarkly's Terraform provider checks them). An empty tag fails `minLength` alone.
 */
export const TAG_PATTERN = '^[A-Za-z0-9._-]*$';
export const MAX_TAG_LENGTH = 64;
export const Tag = Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH, pattern: TAG_PATTERN });
export const Tags = Type.Array(Tag, { maxItems: 1000 });
/** Whether a tag is one LaunchDarkly would store (for code that reads tags without a schema). */
export function tagProblem(tag: string): string | undefined {
  if (tag === '') return 'must not be empty';
  if (tag.length > MAX_TAG_LENGTH) return `must be at most ${MAX_TAG_LENGTH} characters`;
  if (!/^[A-Za-z0-9._-]+$/.test(tag)) return TAG_REASON;
  return undefined;
}
export const TAG_REASON = "must contain only letters, digits, '.', '_' or '-'";

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
