// Flag triggers: a flag's targeting in one environment turned on or off by a POST to an unguessable URL, which an
// alerting tool calls. The URL is `<server>/webhook/triggers/<id>/<secret>`; the secret is kept only as its SHA-256
// and shown once, when the trigger is made or its URL cycled.
import crypto from 'node:crypto';
import { notFound, validationFailed } from '../../http/errors.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { FlagTriggersTable } from '../../store/schema.js';

export type FlagTriggerRow = FlagTriggersTable;

/** What a trigger does when called: LaunchDarkly supports these two. */
export const TRIGGER_ACTIONS = ['turnFlagOn', 'turnFlagOff'] as const;
export type TriggerAction = (typeof TRIGGER_ACTIONS)[number];

/** How many of the latest calls' bodies a trigger keeps (`_recentTriggerBodies`). */
export const RECENT_BODIES = 10;

export interface RecentTriggerBody {
  timestamp: number;
  /** The call's body, when it was a JSON object. */
  jsonBody?: Record<string, unknown>;
}

export interface FlagTriggerDoc {
  integrationKey: string;
  instructions: { kind: TriggerAction }[];
  enabled: boolean;
  maintainerId: string;
  version: number;
  comment?: string;
  triggerCount: number;
  lastTriggeredAt?: number;
  /** When a call of the enabled trigger was last refused (its action refused by the flag update path). */
  lastFailedAt?: number;
  recentTriggerBodies: RecentTriggerBody[];
}

/**
 * The 2026-07 `_status`: `inactive` when disabled, `failed` when the latest call of the enabled trigger was refused
 * (no call has acted since), else `active`.
 */
export function triggerStatus(doc: FlagTriggerDoc): 'active' | 'inactive' | 'failed' {
  if (!doc.enabled) return 'inactive';
  return doc.lastFailedAt !== undefined && doc.lastFailedAt >= (doc.lastTriggeredAt ?? 0) ? 'failed' : 'active';
}

export function triggerDoc(row: Pick<FlagTriggerRow, 'doc'>): FlagTriggerDoc {
  return JSON.parse(row.doc) as FlagTriggerDoc;
}

/** A trigger as the audit log keeps it: its doc and id, without the calls' bodies (its URL's secret is never kept). */
export function auditedTrigger(row: FlagTriggerRow): Record<string, unknown> {
  const { recentTriggerBodies: _bodies, ...doc } = triggerDoc(row);
  return { _id: row.id, ...doc };
}

/** The path of a trigger's URL; with the secret, the URL that calls it. */
export function triggerPath(id: string, secret: string): string {
  return `/webhook/triggers/${id}/${secret}`;
}

/** Where the trigger routes are: under a flag in one environment (flags/inEnvironment.ts resolves it). */
export const TRIGGERS_URL = '/api/v2/flags/:projectKey/:featureFlagKey/triggers/:environmentKey';

/** The trigger URL's route, as registered (invokeTrigger.ts). */
export const TRIGGER_ROUTE = '/webhook/triggers/:id/:secret';

/**
 * A request's URL as the log shows it, a trigger URL's secret masked. The route tells a trigger call (whatever form
 * its target took: absolute, percent-encoded); a request that matched no route is masked by its text.
 */
export function loggedUrl(request: { url: string; routeOptions?: { url?: string }; params?: unknown }): string {
  const query = request.url.indexOf('?');
  if (request.routeOptions?.url === TRIGGER_ROUTE) {
    const id = String((request.params as { id?: unknown } | undefined)?.id ?? '');
    return `/webhook/triggers/${encodeURIComponent(id)}/[redacted]${query >= 0 ? request.url.slice(query) : ''}`;
  }
  return request.url.replace(/^((?:[a-z]+:\/\/[^/]*)?\/webhook\/triggers\/[^/?#]*\/)[^?#]*/i, '$1[redacted]');
}

/** A new secret for a trigger's URL: 128 random bits. */
export function newTriggerSecret(): string {
  return crypto.randomUUID();
}

export function secretHash(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

/** Whether `secret` is the trigger's, compared in constant time. */
export function secretMatches(row: Pick<FlagTriggerRow, 'secret_hash'>, secret: string): boolean {
  const given = Buffer.from(secretHash(secret), 'hex');
  const kept = Buffer.from(row.secret_hash, 'hex');
  return given.length === kept.length && crypto.timingSafeEqual(given, kept);
}

/** An integration's key as LaunchDarkly names them (`generic-trigger`, `datadog`, `honeycomb`...). */
const INTEGRATION_KEY = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function integrationKeyProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'is required: the integration the trigger is for, or generic-trigger';
  if (!INTEGRATION_KEY.test(value)) return `"${value}" is not an integration key; use generic-trigger, or an integration's key such as datadog`;
  return undefined;
}

/** A trigger's action instructions: exactly one `{kind}`, turnFlagOn or turnFlagOff; a 400 naming `attribute` otherwise. */
export function readActionInstructions(value: unknown, attribute: string): { kind: TriggerAction }[] {
  const shape = `must be [{"kind": "turnFlagOn"}] or [{"kind": "turnFlagOff"}]`;
  if (!Array.isArray(value) || value.length !== 1) throw validationFailed([{ attribute, reason: `${shape}: a trigger has exactly one action` }]);
  const kind = (value[0] as { kind?: unknown } | null)?.kind;
  if (!TRIGGER_ACTIONS.includes(kind as TriggerAction)) {
    throw validationFailed([{ attribute: `${attribute}[0].kind`, reason: `${JSON.stringify(kind ?? null)} is not a trigger action; supported are turnFlagOn and turnFlagOff` }]);
  }
  return [{ kind: kind as TriggerAction }];
}

/** A flag's trigger in an environment by id (404 when there is none); locked until commit on PostgreSQL when `lock` names the store. */
export async function findTrigger(db: Db | Trx, where: { flagId: string; environmentId: string; id: string }, lock?: Pick<Store, 'kind'>): Promise<FlagTriggerRow> {
  let query = db.selectFrom('flag_triggers').selectAll().where('id', '=', where.id).where('flag_id', '=', where.flagId).where('environment_id', '=', where.environmentId);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Flag trigger "${where.id}"`);
  return row;
}
