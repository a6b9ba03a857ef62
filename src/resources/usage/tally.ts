// Pure: what an SDK's request counts toward account usage. The SDK that sent it (its user agent's first product: name
// and version; its kind from the credential: server-side SDK key, client-side ID, mobile key), and what an events
// payload adds: events received by kind, flag evaluations by flag and variation (from summary events, which count
// every evaluation), experimentation events and keys (evaluations in an experiment: reason.inExperiment), AI runs (the
// generations the AI SDKs tracked), and the context keys seen, by kind and whether anonymous.
import { createHash } from 'node:crypto';
import { AI_EVENT_KEYS } from '../ai-configs/metrics.js';

/** The kind of SDK from its credential, as the applications (X-LaunchDarkly-Tags) are told apart. */
export type SdkKind = 'server' | 'browser' | 'mobile';

export interface SdkIdentity {
  /** The user agent's product name (`NodeJSClient`), or `Unknown`. */
  name: string;
  version: string;
  /** LaunchDarkly's SDK type: `server` (SDK key) or `client` (client-side ID and mobile key). */
  type: 'client' | 'server';
  /** LaunchDarkly's MAU category: `backend`, `browser` or `mobile`. */
  category: 'backend' | 'browser' | 'mobile';
  /** The application the SDK names (X-LaunchDarkly-Tags), else the SDK itself. */
  applicationId: string;
}

type Headers = Record<string, string | string[] | undefined>;

/** Dimension values are key columns' parts: bounded. */
const MAX_PART = 128;
const part = (value: string) => value.slice(0, MAX_PART);

function header(headers: Headers, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** The SDK of a request: its X-LaunchDarkly-User-Agent (else User-Agent) first product, `Name/version`. */
export function sdkIdentityOf(headers: Headers, kind: SdkKind, applicationId: string): SdkIdentity {
  const product = (header(headers, 'x-launchdarkly-user-agent') || header(headers, 'user-agent')).split(/\s+/)[0] ?? '';
  const slash = product.indexOf('/');
  const name = slash > 0 ? product.slice(0, slash) : product;
  const version = slash > 0 ? product.slice(slash + 1) : '';
  return {
    name: part(name || 'Unknown'),
    version: part(version || 'Unknown'),
    type: kind === 'server' ? 'server' : 'client',
    category: kind === 'server' ? 'backend' : kind,
    applicationId: part(applicationId || name || 'Unknown'),
  };
}

/** A counter's metric and dimensions, and what it adds. */
export interface CountRow {
  metric: string;
  dims: string[];
  count: number;
  minutes: number;
}

/** A key seen, under a metric and dimensions. */
export interface KeyRow {
  metric: string;
  dims: string[];
  key: string;
}

/** The metrics iterlab counts (usage_counts, and the keys seen in usage_series_keys). */
export const METRIC = {
  /** Events received, dims [kind, sdkName, sdkVersion, sdkType]. */
  events: 'events',
  /** Flag evaluations, dims [flagKey, variation index or ''] (summary counters). */
  evaluations: 'evaluations',
  /** Evaluations in an experiment, dims [kind, flagKey]. */
  experimentationEvents: 'experimentation-events',
  /** Streaming connections and their minutes, dims [source, sdkName, sdkVersion, applicationId]. */
  streams: 'streams',
  /** Context keys, dims CONTEXT_DIMS. */
  contexts: 'contexts',
  /** Context keys in an experiment, dims [flagKey]. */
  experimentationKeys: 'experimentation-keys',
  /** AI runs: the generations the AI SDKs tracked (success or error), dims [sdkName, sdkVersion, sdkType]. */
  aiRuns: 'ai-runs',
  /**
   * SDKs initialized: each diagnostic-init event an SDK sends as it starts, dims [sdkName, sdkVersion, wrapperName,
   * wrapperVersion, sdkType], the names its `sdk` member gives (`node-server-sdk`), not its user agent's.
   */
  sdkInits: 'sdk-inits',
} as const;

/** The AI SDKs' events that each end one run of a model through an AI Config: it succeeded or failed. */
const AI_RUN_KEYS: readonly unknown[] = [AI_EVENT_KEYS.success, AI_EVENT_KEYS.error];

/** The dimensions of a context key seen: [kind, anonymous, sdkName, sdkType, category, applicationId]. */
export type ContextDims = [kind: string, anonymous: 'true' | 'false', sdkName: string, sdkType: string, category: string, applicationId: string];

/** The longest context key stored as sent (a key column's part: PostgreSQL bounds index rows). */
const MAX_STORED_KEY = 200;

/**
 * A context key (`kind:key`) as stored: as sent, or its SHA-256 (`#` and base64url) when longer than MAX_STORED_KEY.
 * Hashing every key would cost more than the rest of a payload's tally.
 */
export const storedKey = (key: string) => (key.length <= MAX_STORED_KEY ? key : `#${createHash('sha256').update(key).digest('base64url')}`);

interface UsageEvent {
  kind: string;
  key?: unknown;
  context?: unknown;
  features?: unknown;
  reason?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Each kind's key and whether it is anonymous, of a single or multi-context (a context without `kind` is a user). */
function kindsOf(context: unknown): { kind: string; key: string; anonymous: boolean }[] {
  if (!isRecord(context)) return [];
  const one = (value: unknown, kind: unknown) =>
    isRecord(value) && typeof value.key === 'string' && value.key !== '' && typeof kind === 'string' && kind !== '' ? [{ kind: part(kind), key: value.key, anonymous: value.anonymous === true }] : [];
  if (context.kind === 'multi') return Object.entries(context).flatMap(([kind, value]) => (kind === 'kind' ? [] : one(value, kind)));
  return one(context, context.kind ?? 'user');
}

/** A map key of parts that hold no NUL (JSON.stringify of each row costs more than the rest of the tally). */
const joined = (parts: readonly string[]) => parts.join('\u0000');

/** What one events payload from `sdk` counts. */
export function tallyEvents(events: readonly UsageEvent[], sdk: SdkIdentity): { counts: CountRow[]; keys: KeyRow[] } {
  const counts = new Map<string, CountRow>();
  const keys = new Map<string, KeyRow>();
  const add = (metric: string, dims: string[], count: number) => {
    const id = joined([metric, ...dims]);
    const row = counts.get(id);
    if (row) row.count += count;
    else counts.set(id, { metric, dims, count, minutes: 0 });
  };
  // The contexts' dimensions, by kind and anonymity: the rest are the payload's SDK's.
  const contextDims = new Map<string, string[]>();
  const dimsOf = (kind: string, anonymous: boolean) => {
    const id = `${anonymous ? 1 : 0}${kind}`;
    let dims = contextDims.get(id);
    if (!dims) contextDims.set(id, (dims = [kind, anonymous ? 'true' : 'false', sdk.name, sdk.type, sdk.category, sdk.applicationId] satisfies ContextDims));
    return dims;
  };
  const see = (metric: string, dims: string[], id: string, key: string) => {
    if (!keys.has(id)) keys.set(id, { metric, dims, key });
  };
  const byKind = new Map<string, number>();
  let aiRuns = 0;
  for (const event of events) {
    byKind.set(event.kind, (byKind.get(event.kind) ?? 0) + 1);
    if (event.kind === 'custom' && AI_RUN_KEYS.includes(event.key)) aiRuns++;
    for (const { kind, key, anonymous } of kindsOf(event.context)) {
      const qualified = `${kind}:${key}`;
      const id = `${anonymous ? 'a' : 'c'}\u0000${qualified}`;
      if (!keys.has(id)) see(METRIC.contexts, dimsOf(kind, anonymous), id, storedKey(qualified));
    }
    if (event.kind === 'summary' && isRecord(event.features)) {
      for (const [flagKey, summary] of Object.entries(event.features)) {
        const counters = isRecord(summary) && Array.isArray(summary.counters) ? summary.counters : [];
        for (const counter of counters) {
          if (!isRecord(counter) || typeof counter.count !== 'number' || !Number.isSafeInteger(counter.count) || counter.count <= 0) continue;
          const variation = typeof counter.variation === 'number' && Number.isInteger(counter.variation) && counter.variation >= 0 ? String(counter.variation) : '';
          add(METRIC.evaluations, [part(flagKey), variation], counter.count);
        }
      }
    }
    if ((event.kind === 'feature' || event.kind === 'debug') && typeof event.key === 'string' && isRecord(event.reason) && event.reason.inExperiment === true) {
      const flagKey = part(event.key);
      add(METRIC.experimentationEvents, [event.kind, flagKey], 1);
      for (const { kind, key } of kindsOf(event.context)) {
        const qualified = `${kind}:${key}`;
        const id = `x\u0000${flagKey}\u0000${qualified}`;
        if (!keys.has(id)) see(METRIC.experimentationKeys, [flagKey], id, storedKey(qualified));
      }
    }
  }
  for (const [kind, count] of byKind) add(METRIC.events, [part(kind), sdk.name, sdk.version, sdk.type], count);
  if (aiRuns > 0) add(METRIC.aiRuns, [sdk.name, sdk.version, sdk.type], aiRuns);
  return { counts: [...counts.values()], keys: [...keys.values()] };
}

/**
 * What a diagnostic event counts: a `diagnostic-init` (sent once as an SDK starts) is one SDK initialized, named as its
 * `sdk` member names it (else as its user agent does); the periodic `diagnostic` events name no SDK and count nothing.
 */
export function tallyDiagnostic(event: unknown, sdk: SdkIdentity): CountRow | undefined {
  if (!isRecord(event) || event.kind !== 'diagnostic-init') return undefined;
  const about = isRecord(event.sdk) ? event.sdk : {};
  const text = (value: unknown) => (typeof value === 'string' ? part(value.trim()) : '');
  const name = text(about.name);
  const dims = [name || sdk.name, name ? text(about.version) : sdk.version, text(about.wrapperName), text(about.wrapperVersion), sdk.type];
  return { metric: METRIC.sdkInits, dims, count: 1, minutes: 0 };
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const hourOf = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;
export const dayOf = (at: number) => Math.floor(at / DAY_MS) * DAY_MS;
