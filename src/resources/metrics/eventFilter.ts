// Pure: a metric's `filters` (LaunchDarkly's EventFilter), checked when a metric is written and applied to the
// custom events its results count: "Filters for the metric to exclude certain events from being included."
import type { FieldError } from '../../http/errors.js';
import { OPERATORS } from '../flags/schemas.js';
import { attributeValue, operatorMatches } from '../segments/membership.js';

/** An EventFilter node: a test of a context attribute or an event property, or a group of nodes. */
export interface EventFilterDoc {
  type: 'contextAttribute' | 'eventProperty' | 'group';
  attribute?: string;
  /** A targeting clause's operator; a group's `and` or `or`. */
  op: string;
  /** The values to compare with (none: the test passes nothing, or, negated, everything); a group's member nodes. */
  values: unknown[];
  /** A context attribute's kind (`user` when absent). */
  contextKind?: string;
  negate: boolean;
}

/** The operators of LaunchDarkly's targeting clauses, which a filter's test uses (but segmentMatch). */
export const FILTER_OPERATORS: readonly string[] = OPERATORS.filter((op) => op !== 'segmentMatch');
const GROUP_OPERATORS = ['and', 'or'];
const MAX_DEPTH = 10;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** What is wrong with a filter (a node and, in a group, its members), each naming where: empty when nothing is. */
export function eventFilterProblems(node: unknown, at: string, depth = 0): FieldError[] {
  if (!isRecord(node)) return [{ attribute: at, reason: 'must be an object (an EventFilter)' }];
  if (depth >= MAX_DEPTH) return [{ attribute: at, reason: `nests groups deeper than ${MAX_DEPTH}` }];
  const problems: FieldError[] = [];
  if (!['contextAttribute', 'eventProperty', 'group'].includes(node.type as string)) {
    problems.push({ attribute: `${at}.type`, reason: 'must be one of "contextAttribute", "eventProperty", "group"' });
    return problems;
  }
  if (typeof node.negate !== 'boolean') problems.push({ attribute: `${at}.negate`, reason: 'must be a boolean' });
  if (!Array.isArray(node.values)) {
    problems.push({ attribute: `${at}.values`, reason: 'must be an array' });
    return problems;
  }
  if (node.type === 'group') {
    if (!GROUP_OPERATORS.includes(String(node.op).toLowerCase())) problems.push({ attribute: `${at}.op`, reason: 'must be "and" or "or" for a group' });
    node.values.forEach((member, i) => problems.push(...eventFilterProblems(member, `${at}.values[${i}]`, depth + 1)));
    return problems;
  }
  if (typeof node.attribute !== 'string' || node.attribute === '') problems.push({ attribute: `${at}.attribute`, reason: `must name the ${node.type === 'contextAttribute' ? 'context attribute' : 'event property'} to filter on` });
  if (!FILTER_OPERATORS.includes(node.op as string)) problems.push({ attribute: `${at}.op`, reason: `must be one of ${FILTER_OPERATORS.join(', ')}` });
  if (node.contextKind !== undefined && (typeof node.contextKind !== 'string' || node.contextKind === '')) problems.push({ attribute: `${at}.contextKind`, reason: 'must be a context kind key' });
  return problems;
}

/** The part of an event's context of this kind: a single context of the kind, or that kind's part of a multi-context. */
function contextPart(context: unknown, kind: string): Record<string, unknown> | undefined {
  if (!isRecord(context)) return undefined;
  if (context.kind === 'multi') return isRecord(context[kind]) ? context[kind] : undefined;
  return (context.kind ?? 'user') === kind ? context : undefined;
}

/** A custom event as a filter reads it: its context and its `data`. */
export interface FilteredEvent {
  context?: unknown;
  data?: unknown;
}

/**
 * Whether the event passes the filter. A test passes when any value of the attribute (each element of an array)
 * matches any of the filter's values, as targeting clauses do; `negate` inverts it. An event without the attribute
 * passes no test, negated or not (again as clauses: "not in" does not take what is not there).
 */
export function eventPasses(filter: EventFilterDoc, event: FilteredEvent): boolean {
  if (filter.type === 'group') {
    const members = filter.values as EventFilterDoc[];
    const passed = filter.op.toLowerCase() === 'or' ? members.some((member) => eventPasses(member, event)) : members.every((member) => eventPasses(member, event));
    return passed !== filter.negate;
  }
  const source = filter.type === 'contextAttribute' ? contextPart(event.context, filter.contextKind ?? 'user') : isRecord(event.data) ? event.data : undefined;
  const value = source ? attributeValue(source, filter.attribute ?? '', true) : undefined;
  if (value === undefined || value === null) return false;
  const candidates = Array.isArray(value) ? value : [value];
  const matched = candidates.some((candidate) => filter.values.some((wanted) => operatorMatches(filter.op, candidate, wanted)));
  return matched !== filter.negate;
}
