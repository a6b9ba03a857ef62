// Pure: the context instances an SDK's events carry, as the Contexts API records them. An instance is one
// evaluation context (a single context, or a multi-context's kinds together), identified by its fully qualified key;
// anonymous contexts are not recorded (LaunchDarkly: "You can't search for anonymous contexts"), and a
// multi-context's anonymous kinds are dropped and listed in `anonymousKinds`.
import { compareText } from '../../store/reads.js';
import { isObject } from '../../http/patch/resourcePatch.js';

export interface KindKey {
  kind: string;
  key: string;
}

export interface SeenInstance {
  /** base64url (no padding) of the fully qualified key. */
  instanceId: string;
  applicationId: string;
  /** The context as sent, without its anonymous kinds (a multi-context left with one kind is that kind's context). */
  context: Record<string, unknown>;
  anonymousKinds: string[];
  kinds: KindKey[];
  lastSeen: number;
}

/** A kind's part of a fully qualified key: `%` and `:` escaped, as the SDKs escape them. */
const escapeKey = (key: string) => key.replace(/%/g, '%25').replace(/:/g, '%3A');

/**
 * The SDKs' fully qualified key: a single `user` context's key alone; another single context `kind:key`; a
 * multi-context each kind's `kind:key`, in kind order, joined by `:`.
 */
export function fullyQualifiedKey(kinds: readonly KindKey[]): string {
  if (kinds.length === 1 && kinds[0].kind === 'user') return kinds[0].key;
  return [...kinds]
    .sort((a, b) => compareText(a.kind, b.kind))
    .map(({ kind, key }) => `${kind}:${escapeKey(key)}`)
    .join(':');
}

/** The context instance id: base64url of the fully qualified key (`org:launchdarkly` -> `b3JnOmxhdW5jaGRhcmtseQ`). */
export function instanceIdOf(kinds: readonly KindKey[]): string {
  return Buffer.from(fullyQualifiedKey(kinds), 'utf8').toString('base64url');
}

/**
 * A context kind as the SDKs take one: letters, digits, `.`, `_` and `-`, and neither `kind` nor `multi`; and at most
 * 256 characters here (a kind is an index key: PostgreSQL bounds those).
 */
export const isKind = (kind: string) => kind.length <= 256 && /^[A-Za-z0-9._-]+$/.test(kind) && kind !== 'kind' && kind !== 'multi';

/**
 * The longest fully qualified key recorded: an instance's id and its kinds' keys are index keys, which PostgreSQL
 * bounds (~2.7 KB a row); a context with a longer one is not recorded (its events are).
 */
const MAX_KEY_LENGTH = 1_024;

/** One kind's context: an object with a string key; a context without `kind` is a user (the SDKs' older form). */
function single(value: unknown, kind?: string): { kind: string; key: string; anonymous: boolean; context: Record<string, unknown> } | undefined {
  if (!isObject(value) || typeof value.key !== 'string' || value.key === '') return undefined;
  const resolved = kind ?? (value.kind === undefined ? 'user' : value.kind);
  if (typeof resolved !== 'string' || !isKind(resolved)) return undefined;
  return { kind: resolved, key: value.key, anonymous: value.anonymous === true, context: value };
}

/** The instance of these kinds, or undefined when its key is too long to record. */
function instance(kinds: KindKey[], rest: Omit<SeenInstance, 'instanceId' | 'kinds'>): SeenInstance | undefined {
  const key = fullyQualifiedKey(kinds);
  if (key.length > MAX_KEY_LENGTH) return undefined;
  return { instanceId: Buffer.from(key, 'utf8').toString('base64url'), kinds, ...rest };
}

/** The instance a context is, sent by applicationId at `at`; undefined when it is not a context or is all anonymous. */
export function seenInstance(value: unknown, applicationId: string, at: number): SeenInstance | undefined {
  if (!isObject(value)) return undefined;
  if (value.kind === 'multi') {
    const entries = Object.entries(value).filter(([kind]) => kind !== 'kind');
    const parts = entries.map(([kind, part]) => single(part, kind)).filter((part): part is NonNullable<typeof part> => part !== undefined);
    // The SDKs refuse a multi-context with a part that is not a context: so is it not recorded.
    if (parts.length !== entries.length) return undefined;
    const named = parts.filter((part) => !part.anonymous);
    if (named.length === 0) return undefined;
    const anonymousKinds = parts.filter((part) => part.anonymous).map((part) => part.kind).sort();
    const context: Record<string, unknown> =
      named.length === 1 ? { kind: named[0].kind, ...withoutKind(named[0].context) } : { kind: 'multi', ...Object.fromEntries(named.map((part) => [part.kind, withoutKind(part.context)])) };
    const kinds = named.map(({ kind, key }) => ({ kind, key })).sort((a, b) => compareText(a.kind, b.kind));
    return instance(kinds, { applicationId, context, anonymousKinds, lastSeen: at });
  }
  const part = single(value);
  if (!part || part.anonymous) return undefined;
  return instance([{ kind: part.kind, key: part.key }], { applicationId, context: { kind: part.kind, ...withoutKind(part.context) }, anonymousKinds: [], lastSeen: at });
}

function withoutKind(context: Record<string, unknown>): Record<string, unknown> {
  const { kind: _kind, ...rest } = context;
  return rest;
}

/** An event as the SDKs send it: a `context`, or (event schema 3, SDKs from before contexts) a `user`. */
type EventWithContext = { context?: unknown; user?: unknown };

/**
 * The context an event carries: its `context`, or the `user` of an SDK from before contexts (event schema 3) as the
 * `user` context the SDKs of today make of an older user: its `custom` attributes among the others (a built-in one of
 * the same name wins) and its `privateAttrs` (the attributes it redacted) as `_meta.redactedAttributes`.
 */
function contextOf(event: EventWithContext): Record<string, unknown> | undefined {
  if (isObject(event.context)) return event.context;
  if (!isObject(event.user)) return undefined;
  const { custom, privateAttrs, kind: _kind, _meta, ...builtIn } = event.user;
  const { kind: _k, _meta: _m, ...customs } = isObject(custom) ? custom : {};
  const redacted = Array.isArray(privateAttrs) ? privateAttrs.filter((a): a is string => typeof a === 'string' && a !== '') : [];
  return { kind: 'user', ...customs, ...builtIn, ...(redacted.length > 0 ? { _meta: { redactedAttributes: redacted } } : {}) };
}

/**
 * The instances a payload's events carry (events with a full `context`, or an older SDK's `user`), each once, as last
 * seen in the payload.
 */
export function seenInstances(events: readonly EventWithContext[], applicationId: string, when: (index: number) => number): SeenInstance[] {
  const latest = new Map<string, SeenInstance>();
  events.forEach((event, i) => {
    const context = contextOf(event);
    if (!context) return;
    const seen = seenInstance(context, applicationId, when(i));
    if (!seen) return;
    const before = latest.get(seen.instanceId);
    // At the same moment the first stands: a key-only context after a full one does not wipe its attributes.
    if (!before || before.lastSeen < seen.lastSeen) latest.set(seen.instanceId, seen);
  });
  return [...latest.values()];
}

/**
 * The kinds of a payload's contexts (anonymous ones too: a kind is in use once an SDK sends a context of it), each
 * with when it was last seen in the payload.
 */
export function kindsSeen(events: readonly EventWithContext[], when: (index: number) => number): Map<string, number> {
  const out = new Map<string, number>();
  const see = (kind: string, at: number) => out.set(kind, Math.max(out.get(kind) ?? at, at));
  events.forEach((event, i) => {
    const context = contextOf(event);
    if (!context) return;
    if (context.kind === 'multi') {
      for (const [kind, part] of Object.entries(context)) if (kind !== 'kind' && single(part, kind)) see(kind, when(i));
    } else {
      const part = single(context);
      if (part) see(part.kind, when(i));
    }
  });
  return out;
}

type Headers = Record<string, string | string[] | undefined>;

function headerOf(headers: Headers, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/**
 * The SDK's X-LaunchDarkly-Tags (`application-id/cafe application-version/1.2`: space-separated `key/value` pairs), as
 * a map from each key to its first value; a pair without a value is skipped.
 */
export function sdkTagsOf(headers: Headers): Map<string, string> {
  const tags = new Map<string, string>();
  for (const pair of headerOf(headers, 'x-launchdarkly-tags').split(/\s+/)) {
    const slash = pair.indexOf('/');
    if (slash > 0 && slash < pair.length - 1 && !tags.has(pair.slice(0, slash))) tags.set(pair.slice(0, slash), pair.slice(slash + 1));
  }
  return tags;
}

/**
 * The application an SDK says it runs in (`application-id/…` in X-LaunchDarkly-Tags), else the SDK itself (the
 * first product of its user agent, `NodeJSClient/9.13.7`), as LaunchDarkly's `applicationId` defaults to the SDK.
 */
export function applicationIdOf(headers: Headers): string {
  const tag = sdkTagsOf(headers).get('application-id');
  const id = tag ?? (headerOf(headers, 'x-launchdarkly-user-agent') || headerOf(headers, 'user-agent')).split(/\s+/)[0] ?? '';
  // A key column: bounded (the SDKs bound their tags to 64 characters).
  return id.slice(0, MAX_APPLICATION_ID_LENGTH);
}

const MAX_APPLICATION_ID_LENGTH = 256;
