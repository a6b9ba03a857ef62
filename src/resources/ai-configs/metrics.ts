// AI Config metrics from what LaunchDarkly's AI SDKs track (their `$ld:ai:*` custom events, stored by the event
// intake as they came, each naming its config and variation in `data`): the events of one config in one environment
// and time range read a page at a time, and summed up (pure) per config or per variation.
import { validationFailed, type FieldError } from '../../http/errors.js';
import { parseEpochMillisParam, queryText } from '../../http/filter.js';
import type { Db } from '../../store/db.js';
import { pageOf, pages } from '../../store/reads.js';
import { statement } from '../../store/statements.js';

/** The AI SDKs' event keys, each with what it measures. */
export const AI_EVENT_KEYS = {
  totalTokens: '$ld:ai:tokens:total',
  inputTokens: '$ld:ai:tokens:input',
  outputTokens: '$ld:ai:tokens:output',
  duration: '$ld:ai:duration:total',
  timeToFirstToken: '$ld:ai:tokens:ttf',
  success: '$ld:ai:generation:success',
  error: '$ld:ai:generation:error',
  thumbsUp: '$ld:ai:feedback:user:positive',
  thumbsDown: '$ld:ai:feedback:user:negative',
  judgeAccuracy: '$ld:ai:judge:accuracy',
  judgeRelevance: '$ld:ai:judge:relevance',
  judgeToxicity: '$ld:ai:judge:toxicity',
} as const;
export type Measure = keyof typeof AI_EVENT_KEYS;

/** One tracked event of the config: what it measures, its value, and the variation it was served. */
export interface AIEvent {
  measure: Measure;
  value: number;
  variationKey: string;
}

export interface AIMetrics {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  generationCount: number;
  generationSuccessCount: number;
  generationErrorCount: number;
  thumbsUp: number;
  thumbsDown: number;
  durationMs?: number;
  timeToFirstTokenMs?: number;
  satisfactionRating?: number;
  inputCost?: number;
  outputCost?: number;
  judgeAccuracy?: number;
  judgeRelevance?: number;
  judgeToxicity?: number;
}

/** What a token costs with a variation's model (its model config's list prices), when known. */
export interface TokenCosts {
  input?: number;
  output?: number;
}

const LONGEST_RANGE_MS = 100 * 24 * 60 * 60 * 1000;

/** The context whose events alone the metrics count (2026-07): events with a context of `kind`, and of that `key` when given. */
export interface ContextScope {
  kind: string;
  key?: string;
}

/**
 * The query's `from`, `to` (exclusive; at most 100 days after `from`) and `env`, each required, and the optional
 * `contextKind` and `contextKey` (which requires `contextKind`): a 400 naming every one wrong.
 */
export function readMetricsQuery(query: Record<string, unknown>): { from: number; to: number; env: string; context?: ContextScope } {
  const problems: FieldError[] = [];
  const time = (name: string) => {
    try {
      const value = parseEpochMillisParam(query[name], name);
      if (value === undefined) problems.push({ attribute: name, reason: 'must be present (a Unix time in milliseconds)' });
      return value ?? 0;
    } catch {
      problems.push({ attribute: name, reason: `must be a Unix time in milliseconds, not "${queryText(query[name])}"` });
      return 0;
    }
  };
  const from = time('from');
  const to = time('to');
  const env = queryText(query.env);
  if (env === undefined) problems.push({ attribute: 'env', reason: 'must be present (an environment key)' });
  const contextKind = queryText(query.contextKind);
  const contextKey = queryText(query.contextKey);
  if (contextKey !== undefined && contextKind === undefined) problems.push({ attribute: 'contextKind', reason: 'must be present when contextKey is given (the kind of the context the key names)' });
  if (problems.length === 0 && to <= from) problems.push({ attribute: 'to', reason: 'must be after from' });
  if (problems.length === 0 && to - from > LONGEST_RANGE_MS) problems.push({ attribute: 'to', reason: 'may be at most 100 days after from' });
  if (problems.length > 0) throw validationFailed(problems);
  const context = contextKind !== undefined ? { kind: contextKind, ...(contextKey !== undefined ? { key: contextKey } : {}) } : undefined;
  return { from, to, env: env!, ...(context ? { context } : {}) };
}

/**
 * Whether an event's context keys (by kind, as the event intake stores them: JSON text, parsed only when a scope
 * asks, since most reads name no context) are of the scope's context.
 */
export function ofContext(contextKeysText: string | undefined, scope: ContextScope | undefined): boolean {
  if (!scope) return true;
  const contextKeys = contextKeysText === undefined ? undefined : (JSON.parse(contextKeysText) as Record<string, string>);
  const key = contextKeys !== undefined && Object.hasOwn(contextKeys, scope.kind) ? contextKeys[scope.kind] : undefined;
  return key !== undefined && (scope.key === undefined || key === scope.key);
}

const customEvents = statement<{ id: string; creation_date: number; value: number | null; context_keys: string | null; doc: string }>(
  pageOf('"value", "context_keys", "doc"', '"kind" = \'custom\''),
);

/** A tracked event of any AI Config: the config it names besides what it measures, and its context's keys by kind (as stored). */
export interface ConfigAIEvent extends AIEvent {
  configKey: string;
  contextKeysText?: string;
}

/** The tracked events of `measures` in the environment, from `from` to `to` (exclusive), of every config they name. */
export async function readAIEventsOf(db: Db, environmentId: string, measures: readonly Measure[], from: number, to: number): Promise<ConfigAIEvent[]> {
  const out: ConfigAIEvent[] = [];
  for (const measure of measures) {
    for await (const rows of pages(db, customEvents, environmentId, AI_EVENT_KEYS[measure], [from, to - 1])) {
      for (const row of rows) {
        const data = (JSON.parse(row.doc) as { data?: { configKey?: unknown; variationKey?: unknown } }).data;
        if (typeof data?.configKey !== 'string') continue;
        const variationKey = typeof data.variationKey === 'string' ? data.variationKey : '';
        out.push({ measure, value: row.value ?? 1, configKey: data.configKey, variationKey, ...(row.context_keys !== null ? { contextKeysText: row.context_keys } : {}) });
      }
    }
  }
  return out;
}

/** The config's tracked events in the environment, from `from` to `to` (exclusive); only the context's when `context` names one. */
export async function readAIEvents(db: Db, environmentId: string, configKey: string, from: number, to: number, context?: ContextScope): Promise<AIEvent[]> {
  const events = await readAIEventsOf(db, environmentId, Object.keys(AI_EVENT_KEYS) as Measure[], from, to);
  return events.filter((e) => e.configKey === configKey && ofContext(e.contextKeysText, context)).map(({ measure, value, variationKey }) => ({ measure, value, variationKey }));
}

const mean = (values: number[]) => (values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length);

/**
 * The metrics of some events: token, generation and feedback counts summed; duration and time to first token as
 * means (whole milliseconds); satisfaction as the share of thumbs up among feedback; judge scores as means; costs
 * from each variation's token prices. What no event measures is left out, counts being 0.
 */
export function summarize(events: readonly AIEvent[], costOf: (variationKey: string) => TokenCosts | undefined): AIMetrics {
  const of = (measure: Measure) => events.filter((e) => e.measure === measure);
  const sum = (measure: Measure) => of(measure).reduce((total, e) => total + e.value, 0);
  const count = (measure: Measure) => of(measure).length;
  const averaged = (measure: Measure, round: boolean) => {
    const value = mean(of(measure).map((e) => e.value));
    return value === undefined ? undefined : round ? Math.round(value) : Math.min(1, Math.max(0, value));
  };
  const cost = (measure: 'inputTokens' | 'outputTokens', side: keyof TokenCosts) => {
    let total: number | undefined;
    for (const e of of(measure)) {
      const price = costOf(e.variationKey)?.[side];
      if (price !== undefined) total = (total ?? 0) + e.value * price;
    }
    // Twelve significant digits: 10 tokens at 0.000001 cost 0.00001, not 0.000009999999999999999.
    return total === undefined ? undefined : Number(total.toPrecision(12));
  };
  const thumbsUp = count('thumbsUp');
  const thumbsDown = count('thumbsDown');
  const out: AIMetrics = {
    inputTokens: sum('inputTokens'),
    outputTokens: sum('outputTokens'),
    totalTokens: sum('totalTokens'),
    generationCount: count('success') + count('error'),
    generationSuccessCount: count('success'),
    generationErrorCount: count('error'),
    thumbsUp,
    thumbsDown,
    durationMs: averaged('duration', true),
    timeToFirstTokenMs: averaged('timeToFirstToken', true),
    satisfactionRating: thumbsUp + thumbsDown > 0 ? thumbsUp / (thumbsUp + thumbsDown) : undefined,
    inputCost: cost('inputTokens', 'input'),
    outputCost: cost('outputTokens', 'output'),
    judgeAccuracy: averaged('judgeAccuracy', false),
    judgeRelevance: averaged('judgeRelevance', false),
    judgeToxicity: averaged('judgeToxicity', false),
  };
  return out;
}

/** The events split by variation: the config's variations in order (each, with events or not), then any other variation key events name (a deleted variation's); the disabled variation's events (no key) are left out. */
export function byVariation(events: readonly AIEvent[], variationKeys: readonly string[]): [string, AIEvent[]][] {
  const keys = [...variationKeys, ...new Set(events.map((e) => e.variationKey).filter((k) => k !== '' && !variationKeys.includes(k)))];
  return keys.map((key) => [key, events.filter((e) => e.variationKey === key)]);
}
