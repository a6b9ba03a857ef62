// LaunchDarkly's `filter=field:value,field:value` query parameter, parsed and checked against allowed fields.
import { validationFailed } from './errors.js';

/** `filter=field:value,field:value`; `allowed` names the fields taken, or is `any` (the legacy user search's attributes). */
export function parseFilter(raw: unknown, allowed: readonly string[] | 'any'): Map<string, string> {
  const out = new Map<string, string>();
  if (raw === undefined || raw === '') return out;
  const text = Array.isArray(raw) ? raw.join(',') : String(raw);
  for (const part of splitFilter(text)) {
    const item = part.trim();
    if (!item) continue;
    const colon = item.indexOf(':');
    if (colon <= 0) throw validationFailed([{ attribute: 'filter', reason: `"${item}" is not of the form field:value` }]);
    const field = item.slice(0, colon).trim();
    if (allowed !== 'any' && !allowed.includes(field)) {
      throw validationFailed([{ attribute: 'filter', reason: `unknown filter field "${field}"; use one of ${allowed.join(', ')}` }]);
    }
    out.set(field, item.slice(colon + 1).trim());
  }
  return out;
}

/**
 * `a:1,b:{"before":1,"after":2}` -> its `field:value` parts: a comma inside a JSON object or array value (the flag
 * list's `creationDate:{"before":…,"after":…}`) belongs to that value. Unbalanced brackets split at every comma.
 */
function splitFilter(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (depth > 0 && ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if ((ch === '}' || ch === ']') && depth > 0) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return depth === 0 && !inString ? parts : text.split(',');
}

/**
 * LaunchDarkly's `tags` filter of projects and environments: `a+b` (an unencoded `+` arrives as a space) keeps those
 * with all of the tags, without case ("The filter is not case-sensitive"). Undefined or empty keeps everything.
 */
export function hasEveryTag(tags: readonly string[], filterValue: string | undefined): boolean {
  const wanted = filterValue?.toLowerCase().split(/[+ ]/).filter(Boolean) ?? [];
  if (wanted.length === 0) return true;
  const has = new Set(tags.map((tag) => tag.toLowerCase()));
  return wanted.every((tag) => has.has(tag));
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

export interface SortKey<F extends string> {
  field: F;
  descending: boolean;
}

/** `sort=-name,creationDate`: several fields, each ascending or (with `-`) descending; each must be one of `allowed`. */
export function parseSortList<F extends string>(raw: unknown, allowed: readonly F[], fallback: F): SortKey<F>[] {
  const text = raw === undefined || raw === '' ? fallback : String(raw);
  return text.split(',').map((part) => {
    const item = part.trim();
    const descending = item.startsWith('-');
    const field = (descending ? item.slice(1) : item) as F;
    if (!allowed.includes(field)) {
      throw validationFailed([{ attribute: 'sort', reason: `cannot sort by "${field}"; use ${allowed.join(', ')} (prefix - for descending, comma-separated)` }]);
    }
    return { field, descending };
  });
}

/** A comparator for a sort list, reading each field of an item with `value`; items equal on every field compare 0. */
export function compareBy<T, F extends string>(sort: readonly SortKey<F>[], value: (item: T, field: F) => string | number): (a: T, b: T) => number {
  return (a, b) => {
    for (const { field, descending } of sort) {
      const [x, y] = [value(a, field), value(b, field)];
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  };
}

/**
 * A comparator for a sort list whose fields compare in their own ways (`compare`: names by locale, counts as numbers):
 * each field in turn, then `tiebreak` in the first field's direction, so that equal items keep one order from page to
 * page and a descending sort is the ascending one reversed.
 */
export function compareFields<T, F extends string>(sort: readonly SortKey<F>[], compare: (a: T, b: T, field: F) => number, tiebreak: (a: T, b: T) => number): (a: T, b: T) => number {
  return (a, b) => {
    for (const { field, descending } of sort) {
      const order = compare(a, b, field);
      if (order !== 0) return descending ? -order : order;
    }
    return sort[0]?.descending ? -tiebreak(a, b) : tiebreak(a, b);
  };
}

/** A query parameter's text (the last, when repeated); undefined when absent or empty. */
export function queryText(raw: unknown): string | undefined {
  return raw === undefined || raw === '' ? undefined : String(Array.isArray(raw) ? raw[raw.length - 1] : raw);
}

/** A boolean query parameter (`true`/`false`/`1`/`0`); undefined when absent, a 400 naming it otherwise. */
export function parseBooleanParam(raw: unknown, name: string): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = Array.isArray(raw) ? String(raw[raw.length - 1]) : String(raw);
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw validationFailed([{ attribute: name, reason: `must be true or false, not "${text}"` }]);
}

/** A Unix time in milliseconds from the query (`before`, `after`, `expiry`); undefined when absent, a 400 naming it otherwise. */
export function parseEpochMillisParam(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = String(Array.isArray(raw) ? raw[raw.length - 1] : raw).trim();
  if (!/^-?\d{1,16}$/.test(text)) throw validationFailed([{ attribute: name, reason: `must be a Unix time in milliseconds, not "${text}"` }]);
  return Number(text);
}

export type FilterOperator = 'equals' | 'notEquals' | 'contains' | 'anyOf' | 'startsWith' | 'exists' | 'before' | 'after';

/** The fields a filter may name and each one's operators: a table, or a function for open-ended fields (`user.email`). */
export type FilterFields = Record<string, readonly FilterOperator[]> | ((field: string) => readonly FilterOperator[] | undefined);

function operatorsOf(allowed: FilterFields, field: string): readonly FilterOperator[] {
  const ops = typeof allowed === 'function' ? allowed(field) : Object.hasOwn(allowed, field) ? allowed[field] : undefined;
  if (!ops) throw filterError(typeof allowed === 'function' ? `unknown filter field "${field}"` : `unknown filter field "${field}"; use one of ${Object.keys(allowed).join(', ')}`);
  return ops;
}

/** One clause of LaunchDarkly's expression filter: `tags contains ["a","b"]` -> {field: 'tags', op: 'contains', values: ['a', 'b']}. */
export interface FilterClause {
  field: string;
  op: FilterOperator;
  values: string[];
}

function filterError(reason: string) {
  return validationFailed([{ attribute: 'filter', reason }]);
}

/** Splits text at `separator` wherever it stands outside quotes, brackets and parentheses (and braces, if asked). */
function splitTopLevel(text: string, separator: RegExp, braces = false): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(' || (braces && c === '{')) depth++;
    else if (c === ']' || c === ')' || (braces && c === '}')) depth--;
    else if (depth === 0) {
      separator.lastIndex = i;
      const match = separator.exec(text);
      if (match && match.index === i) {
        parts.push(text.slice(start, i));
        start = i + match[0].length;
        i = start - 1;
      }
    }
  }
  if (quote) throw filterError(`unterminated quote in "${text}"`);
  if (depth !== 0) throw filterError(`unbalanced brackets or parentheses in "${text}"`);
  parts.push(text.slice(start));
  return parts;
}

function unquote(text: string): string {
  const value = text.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

function filterValues(text: string): string[] {
  const value = text.trim();
  if (value.startsWith('[')) {
    if (!value.endsWith(']')) throw filterError(`"${value}" is not a list of the form ["a","b"]`);
    const inner = value.slice(1, -1).trim();
    return inner === '' ? [] : splitTopLevel(inner, /,/y).map(unquote);
  }
  return [unquote(value)];
}

/**
 * Parses LaunchDarkly's expression filter (`field operator value` clauses joined by ` and `), as the metrics
 * and metric-group lists take it. `allowed` maps each field to the operators it supports; anything else is a
 * 400 naming the field or operator.
 */
export function parseFilterExpression(raw: unknown, allowed: Record<string, readonly FilterOperator[]>): FilterClause[] {
  if (raw === undefined || raw === '') return [];
  const text = (Array.isArray(raw) ? raw.join(' and ') : String(raw)).trim();
  if (text === '') return [];
  const clauses: FilterClause[] = [];
  // Clauses are joined by ` and `, or by a comma (the parameter's "comma-separated list of filters") where what follows
  // begins a clause: a comma inside a bare value (`query equals a,b`) stays in it.
  for (const part of splitTopLevel(text, /\s*,\s*(?=[A-Za-z_][\w.]*\s+[A-Za-z]+\s)|\s+and(?:\s+|$)/iy)) {
    const match = /^([A-Za-z_][\w.]*)\s+([A-Za-z]+)\s+([\s\S]+)$/.exec(part.trim());
    if (!match) throw filterError(`"${part.trim()}" is not of the form field operator value (e.g. tags contains ["a","b"])`);
    const [, field, op, value] = match;
    const ops = operatorsOf(allowed, field);
    if (!ops.includes(op as FilterOperator)) throw filterError(`the field "${field}" takes the operator ${ops.join(' or ')}, not "${op}"`);
    clauses.push({ field, op: op as FilterOperator, values: filterValues(value) });
  }
  return clauses;
}

/** A filter of `field operator value` clauses joined by `,` (and) and `|` (or), grouped by parentheses. */
export type FilterTree = { all: FilterTree[] } | { any: FilterTree[] } | FilterClause;

const FIELD = '[A-Za-z_*][\\w.*/~-]*';
// A field may also be written as a JSON string (LaunchDarkly: field names "within double quotes … are encoded as if
// they were a JSON string"), for names with spaces or other characters: `"user.first name" equals Ann`.
const QUOTED_FIELD = '"(?:[^"\\\\]|\\\\.)*"';
// Matched against a trimmed clause: a lazy value before a trailing `\\s*$` took quadratic time on a run of spaces.
const SPACED_CLAUSE = new RegExp(`^(${FIELD}|${QUOTED_FIELD})\\s+([A-Za-z]+)(?:\\s+([\\s\\S]+))?$`);
const COLON_CLAUSE = new RegExp(`^(${FIELD})\\s*:\\s*([\\s\\S]+)$`);

/** The older `field:{"operator": [values]}` (or `field:"value"`, equals) form, as some of LaunchDarkly's links write it. */
function colonClause(part: string): { field: string; op: string; values: string[] } | undefined {
  const match = COLON_CLAUSE.exec(part);
  if (!match) return undefined;
  const [, field, value] = match;
  if (!value.startsWith('{')) return { field, op: 'equals', values: filterValues(value) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw filterError(`"${part.trim()}": ${value} is not JSON of the form {"operator": [values]}`);
  }
  const entries = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.entries(parsed) : [];
  if (entries.length !== 1) throw filterError(`"${part.trim()}": ${value} must name one operator, as {"equals": ["a"]}`);
  const [op, values] = entries[0];
  return { field, op, values: (Array.isArray(values) ? values : [values]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) };
}

/** A field as written: bare, or a JSON string (decoded; not one is a 400). */
function fieldName(written: string): string {
  if (!written.startsWith('"')) return written;
  let name: unknown;
  try {
    name = JSON.parse(written);
  } catch {
    throw filterError(`the field ${written} is not a JSON string`);
  }
  if (name === '') throw filterError('a field name must not be empty');
  return name as string;
}

function filterClause(raw: string, allowed: FilterFields, colonForm: boolean): FilterClause {
  const part = raw.trim();
  const match = SPACED_CLAUSE.exec(part);
  const colon = match ? undefined : colonForm ? colonClause(part) : undefined;
  if (!match && !colon) throw filterError(`"${part.trim()}" is not of the form field operator value (e.g. tags anyOf ["a","b"])`);
  const [field, op, value] = match ? [fieldName(match[1]), match[2], match[3]] : [colon!.field, colon!.op, undefined];
  const ops = operatorsOf(allowed, field);
  if (!ops.includes(op as FilterOperator)) throw filterError(`the field "${field}" takes the operator ${ops.join(' or ')}, not "${op}"`);
  if (colon) return { field, op: op as FilterOperator, values: colon.values };
  // `exists` may stand alone: `external exists` is `external exists true`.
  if (value === undefined && op !== 'exists') throw filterError(`"${part.trim()}" has no value after the operator`);
  return { field, op: op as FilterOperator, values: value === undefined ? ['true'] : filterValues(value) };
}

/** How deep parentheses may nest in a filter (a deeper one is a 400, not a stack overflow). */
const MAX_FILTER_DEPTH = 32;

function filterTree(text: string, allowed: FilterFields, colonForm: boolean, depth = 0): FilterTree {
  if (depth > MAX_FILTER_DEPTH) throw filterError(`parentheses nest more than ${MAX_FILTER_DEPTH} deep`);
  const ands = splitTopLevel(text, /,/y, colonForm);
  if (ands.length > 1) return { all: ands.map((part) => filterTree(part, allowed, colonForm, depth + 1)) };
  const ors = splitTopLevel(text, /\|/y, colonForm);
  if (ors.length > 1) return { any: ors.map((part) => filterTree(part, allowed, colonForm, depth + 1)) };
  const inner = text.trim();
  if (inner.startsWith('(') && inner.endsWith(')')) return filterTree(inner.slice(1, -1), allowed, colonForm, depth + 1);
  return filterClause(inner, allowed, colonForm);
}

/** The longest filter taken (a search's body could carry a megabyte of one). */
const MAX_FILTER_LENGTH = 8_192;

/**
 * Parses the filter of the lists that take LaunchDarkly's grouped syntax (segments): `,` is and, `|` is or, and
 * parentheses group (`,` binds looser than `|`: `a,b|c` is a and (b or c)). `allowed` maps each field to its
 * operators; anything else is a 400 naming the field or operator. `colonForm` also takes the older
 * `field:{"operator": [values]}` clauses.
 */
export function parseFilterTree(raw: unknown, allowed: FilterFields, options: { colonForm?: boolean } = {}): FilterTree | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = (Array.isArray(raw) ? raw.join(',') : String(raw)).trim();
  if (text.length > MAX_FILTER_LENGTH) throw filterError(`is ${text.length} characters long; at most ${MAX_FILTER_LENGTH} are taken`);
  return text === '' ? undefined : filterTree(text, allowed, options.colonForm ?? false);
}

/** Whether `tree` holds for an item, given a predicate per clause. */
export function filterMatches<T>(tree: FilterTree | undefined, item: T, test: (clause: FilterClause, item: T) => boolean): boolean {
  if (tree === undefined) return true;
  if ('all' in tree) return tree.all.every((t) => filterMatches(t, item, test));
  if ('any' in tree) return tree.any.some((t) => filterMatches(t, item, test));
  return test(tree, item);
}

/** Every clause of a tree, to check their values once before any item is tested. */
export function filterClauses(tree: FilterTree | undefined): FilterClause[] {
  if (tree === undefined) return [];
  if ('all' in tree) return tree.all.flatMap(filterClauses);
  if ('any' in tree) return tree.any.flatMap(filterClauses);
  return [tree];
}

/** `true`/`false` from a filter clause; anything else is a 400 naming the field. */
export function filterBoolean(clause: FilterClause): boolean {
  const value = clause.values.length === 1 ? clause.values[0].toLowerCase() : '';
  if (value !== 'true' && value !== 'false') throw filterError(`the field "${clause.field}" takes true or false, not "${clause.values.join(',')}"`);
  return value === 'true';
}

/** The single value of a clause that must be one of `choices`. */
export function filterChoice<T extends string>(clause: FilterClause, choices: readonly T[]): T {
  const value = clause.values.length === 1 ? clause.values[0] : '';
  if (!choices.includes(value as T)) throw filterError(`the field "${clause.field}" takes one of ${choices.join(', ')}, not "${clause.values.join(',')}"`);
  return value as T;
}
