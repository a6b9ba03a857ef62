// Schema pieces several resources share.
import { Type } from '@sinclair/typebox';

/** LaunchDarkly keys: letters, digits, '.', '_' and '-'. */
export const KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
export const Key = Type.String({ minLength: 1, maxLength: 256, pattern: KEY_PATTERN });
export const Name = Type.String({ minLength: 1, maxLength: 1024 });
export const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000 });

/** A string that must be one of `values`; reported as `must be one of "a", "b"` (a union of literals is not). */
export function StringEnum<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}
