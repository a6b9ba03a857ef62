// Pure: what an SDK's request counts toward account usage. The SDK that sent it (its user agent's first product: name
// and version; its kind from the credential: server-side SDK key, client-side ID, mobile key), and what an events
// payload adds: events received by kind, flag evaluations by flag and variation (from summary events, which count
// every evaluation), experimentation events and keys (evaluations in an experiment: reason.inExperiment), and the
// context keys seen, by kind and whether anonymous.
import { createHash } from 'node:crypto';

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

/** The metrics iterlab counts (usage_counts and usage_keys). */
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
} as const;

/** The dimensions of a context key seen: [kind, anonymous, sdkName, sdkType, category, applicationId]. */
export type ContextDims = [kind: string, anonymous: 'true' | 'false', sdkName: string, sdkType: string, category: string, applicationId: string];

/** A context key as stored: hashed (a key is the customer's data, and unbounded). */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 22);

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

/** What one events payload from `sdk` counts. */
export function tallyEvents(events: readonly UsageEvent[], sdk: SdkIdentity): { counts: CountRow[]; keys: KeyRow[] } {
  const counts = new Map<string, CountRow>();
  const keys = new Map<string, KeyRow>();
  const add = (metric: string, dims: string[], count: number) => {
    const id = JSON.stringify([metric, dims]);
    const row = counts.get(id);
    if (row) row.count += count;
    else counts.set(id, { metric, dims, count, minutes: 0 });
  };
  const see = (metric: string, dims: string[], key: string) => {
    const id = JSON.stringify([metric, dims, key]);
    if (!keys.has(id)) keys.set(id, { metric, dims, key });
  };
  for (const event of events) {
    add(METRIC.events, [part(event.kind), sdk.name, sdk.version, sdk.type], 1);
    for (const { kind, key, anonymous } of kindsOf(event.context)) {
      const dims: ContextDims = [kind, anonymous ? 'true' : 'false', sdk.name, sdk.type, sdk.category, sdk.applicationId];
      see(METRIC.contexts, dims, hashKey(`${kind}:${key}`));
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
      for (const { kind, key } of kindsOf(event.context)) see(METRIC.experimentationKeys, [flagKey], hashKey(`${kind}:${key}`));
    }
  }
  return { counts: [...counts.values()], keys: [...keys.values()] };
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const hourOf = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;
export const dayOf = (at: number) => Math.floor(at / DAY_MS) * DAY_MS;
