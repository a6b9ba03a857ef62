// LaunchDarkly's `filter=field:value,field:value` query parameter, parsed and checked against allowed fields.
import { validationFailed } from './errors.js';

export function parseFilter(raw: unknown, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (raw === undefined || raw === '') return out;
  const text = Array.isArray(raw) ? raw.join(',') : String(raw);
  for (const part of text.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const colon = item.indexOf(':');
    if (colon <= 0) throw validationFailed([{ attribute: 'filter', reason: `"${item}" is not of the form field:value` }]);
    const field = item.slice(0, colon).trim();
    if (!allowed.includes(field)) {
      throw validationFailed([{ attribute: 'filter', reason: `unknown filter field "${field}"; use one of ${allowed.join(', ')}` }]);
    }
    out.set(field, item.slice(colon + 1).trim());
  }
  return out;
}

/** `sort=-name` -> {field: 'name', descending: true}; the field must be one of `allowed`. */
export function parseSort(raw: unknown, allowed: readonly string[], fallback: string): { field: string; descending: boolean } {
  const text = raw === undefined || raw === '' ? fallback : String(raw).trim();
  const descending = text.startsWith('-');
  const field = descending ? text.slice(1) : text;
  if (!allowed.includes(field)) {
    throw validationFailed([{ attribute: 'sort', reason: `cannot sort by "${field}"; use one of ${allowed.join(', ')} (prefix - for descending)` }]);
  }
  return { field, descending };
}

/** A boolean query parameter (`true`/`false`/`1`/`0`); undefined when absent, a 400 naming it otherwise. */
export function parseBooleanParam(raw: unknown, name: string): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = Array.isArray(raw) ? String(raw[raw.length - 1]) : String(raw);
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw validationFailed([{ attribute: name, reason: `must be true or false, not "${text}"` }]);
}
