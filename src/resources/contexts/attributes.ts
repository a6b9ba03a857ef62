// Pure: the attribute names and values of an environment's contexts (getContextAttributeNames,
// getContextAttributeValues). Each context (kind and key) counts once, as last seen by any application; a name is a
// JSON pointer to a value (`/name`, `/address/city`), and `weight` is how many contexts have it.
import { compareText } from '../../store/reads.js';
import type { ContextView } from './search.js';
import { isObject } from '../../http/patch/resourcePatch.js';

/** The latest record of each context, whatever application sent it. */
export function latestContexts(views: readonly ContextView[]): ContextView[] {
  const latest = new Map<string, ContextView>();
  for (const view of views) {
    const id = `${view.kind}\u0000${view.key}`;
    const seen = latest.get(id);
    // Of records seen at the same moment, always the same one.
    if (!seen || seen.lastSeen < view.lastSeen || (seen.lastSeen === view.lastSeen && seen.order < view.order)) latest.set(id, view);
  }
  return [...latest.values()];
}

const escape = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');
/** The pointers to a context's values (objects are walked into; arrays and scalars are values), without `kind` and `_meta`. */
export function attributePointers(context: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (isObject(value)) for (const [name, inner] of Object.entries(value)) walk(inner, `${at}/${escape(name)}`);
    else out.push(at);
  };
  for (const [name, value] of Object.entries(context)) if (name !== 'kind' && name !== '_meta') walk(value, `/${escape(name)}`);
  return out;
}

/** The attributes the SDK redacted (private attributes), as pointers. */
export function redactedPointers(context: Record<string, unknown>): string[] {
  const meta = context._meta;
  const redacted = isObject(meta) && Array.isArray(meta.redactedAttributes) ? meta.redactedAttributes : [];
  return redacted.filter((a): a is string => typeof a === 'string' && a !== '').map((a) => (a.startsWith('/') ? a : `/${escape(a)}`));
}

export interface NameCount {
  name: string;
  weight: number;
  redacted: boolean;
}

/** Each kind's attribute names with how many contexts have each, most common first (then by name). */
export function attributeNames(views: readonly ContextView[]): Map<string, NameCount[]> {
  const byKind = new Map<string, Map<string, NameCount>>();
  for (const view of latestContexts(views)) {
    let names = byKind.get(view.kind);
    if (!names) byKind.set(view.kind, (names = new Map()));
    const count = (name: string, redacted: boolean) => {
      const entry = names!.get(name) ?? { name, weight: 0, redacted: false };
      entry.weight += 1;
      entry.redacted ||= redacted;
      names!.set(name, entry);
    };
    const redacted = redactedPointers(view.context);
    for (const name of new Set(attributePointers(view.context))) count(name, false);
    for (const name of new Set(redacted)) count(name, true);
  }
  return mostCommonFirst(byKind, (count) => count.name);
}

/** The value a pointer (or a plain attribute name) reaches in a context. */
export function valueAt(context: Record<string, unknown>, attribute: string): unknown {
  const pointer = attribute.startsWith('/') ? attribute : `/${escape(attribute)}`;
  let value: unknown = context;
  for (const raw of pointer.slice(1).split('/')) {
    const name = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(value) || !Object.hasOwn(value, name)) return undefined;
    value = value[name];
  }
  return value;
}

export interface ValueCount {
  name: unknown;
  weight: number;
}

/** Each kind's values of an attribute (an array's each element) with how many contexts have each, most common first. */
export function attributeValues(views: readonly ContextView[], attribute: string): Map<string, ValueCount[]> {
  const byKind = new Map<string, Map<string, ValueCount>>();
  for (const view of latestContexts(views)) {
    const value = valueAt(view.context, attribute);
    const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== undefined && v !== null && typeof v !== 'object');
    if (values.length === 0) continue;
    let counts = byKind.get(view.kind);
    if (!counts) byKind.set(view.kind, (counts = new Map()));
    for (const v of new Set(values)) {
      const id = JSON.stringify(v);
      const entry = counts.get(id) ?? { name: v, weight: 0 };
      entry.weight += 1;
      counts.set(id, entry);
    }
  }
  return mostCommonFirst(byKind, (count) => (typeof count.name === 'string' ? count.name : JSON.stringify(count.name)));
}

/** Each kind's counts, kinds in text order, each kind's most common first (then in text order by `label`). */
function mostCommonFirst<T extends { weight: number }>(byKind: Map<string, Map<string, T>>, label: (count: T) => string): Map<string, T[]> {
  return new Map(
    [...byKind].sort(([a], [b]) => compareText(a, b)).map(([kind, counts]) => [kind, [...counts.values()].sort((a, b) => b.weight - a.weight || compareText(label(a), label(b)))]),
  );
}
