// Webhooks: a URL that every audit entry a webhook's statements pick is POSTed to, signed when it has a secret.
// Stored one row per webhook; whether it is on is a column of its own, read by the outbox trigger (migration 017).
import crypto from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { notFound, type FieldError } from '../../http/errors.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { WebhooksTable } from '../../store/schema.js';
import type { Statement } from '../custom-roles/policy.js';

export type WebhookRow = WebhooksTable;

export interface WebhookDoc {
  name?: string;
  url: string;
  /** Present exactly when the webhook is signed. */
  secret?: string;
  /** Absent when the webhook takes every entry. */
  statements?: Statement[];
  tags: string[];
}

/** The members of a Webhook a JSON Patch may change; `_id` and `_links` may only be tested. */
export const WRITABLE_WEBHOOK_FIELDS = ['name', 'url', 'secret', 'statements', 'on', 'tags'] as const;
export const READ_ONLY_WEBHOOK_FIELDS = ['_id', '_links'];

/** The audit and custom-role action for a change of each member, in the order a change is named by its first. */
export const WEBHOOK_FIELD_ACTIONS: Record<(typeof WRITABLE_WEBHOOK_FIELDS)[number], string> = {
  url: 'updateUrl',
  on: 'updateOn',
  name: 'updateName',
  secret: 'updateSecret',
  statements: 'updateStatements',
  tags: 'updateTags',
};

export const WebhookUrl = Type.String({ minLength: 1, maxLength: 2048 });
export const WebhookName = Type.String({ maxLength: 256 });
export const WebhookSecret = Type.String({ maxLength: 256 });

export function webhookDoc(row: Pick<WebhookRow, 'doc'>): WebhookDoc {
  return JSON.parse(row.doc) as WebhookDoc;
}

/** A webhook by id (404 naming it when there is none); locked until commit on PostgreSQL when `lock` names the store. */
export async function findWebhook(db: Db | Trx, id: string, lock?: Pick<Store, 'kind'>): Promise<WebhookRow> {
  let query = db.selectFrom('webhooks').selectAll().where('id', '=', id);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Webhook "${id}"`);
  return row;
}

/** The problem with a webhook URL, if any: LaunchDarkly POSTs to an absolute http or https URL. */
export function urlProblem(url: string, attribute = 'url'): FieldError | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { attribute, reason: `"${url}" is not an absolute URL; give one such as https://example.com/hooks/launchdarkly` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { attribute, reason: `must be an http or https URL, not ${parsed.protocol}` };
  return undefined;
}

/** A secret for a signed webhook created without one, as LaunchDarkly generates. */
export function generateSecret(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** The X-LD-Signature of a payload: the hex HMAC-SHA256 of its exact bytes, keyed by the webhook's secret. */
export function signature(body: string, secret: string): string {
  return crypto.createHmac('sha256', secret).update(body).digest('hex');
}
