// Delivers the audit log to webhooks. Every entry written while some webhook is on leaves an outbox row in its own
// transaction (migration 017's trigger); each instance takes due rows every quarter second, POSTs the entry (as
// getAuditLogEntry shows it, LaunchDarkly's webhook payload) to every webhook that is on and whose statements pick
// it, signed with X-LD-Signature when the webhook has a secret, and tries a failed delivery again later. At least
// once: a row is forgotten only after its POSTs are answered, so an instance that stops mid-way leaves it for the
// next pass (its lease runs out); LaunchDarkly, too, says deliveries may come out of order.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { startJob } from '../../http/jobs.js';
import type { WebhookDeliveriesTable } from '../../store/schema.js';
import { auditContext, representAuditEntry } from '../audit-log/represent.js';
import { accessOf, accessPicker } from '../audit-log/statements.js';
import { signature, webhookDoc, type WebhookRow } from './model.js';

/** How long after a failed attempt each next one is made; a delivery is given up after the last. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000];
/** How long a pass holds the rows it took; past it another pass (of any instance) may take them again. */
const LEASE_MS = 60_000;
/** How long a webhook's server has to answer. */
const TIMEOUT_MS = 10_000;
/** Rows a pass takes at once, and how many such batches a pass works through before it yields. */
const BATCH = 50;
const BATCHES_PER_PASS = 10;
const INTERVAL_MS = 250;
const USER_AGENT = 'iterlab-webhooks/1';

type DeliveryRow = WebhookDeliveriesTable;

export interface DeliveryLog {
  warn(obj: object, msg: string): void;
}

/** One POST of a payload to a webhook: undefined when it was answered 2xx, else why not. */
async function post(url: string, body: string, secret: string | undefined, signal: AbortSignal): Promise<string | undefined> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
  if (secret !== undefined) headers['x-ld-signature'] = signature(body, secret);
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300 ? undefined : `answered ${response.status}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Takes the due rows still as read: another instance's pass that took one first has moved its next_at. */
async function claim(deps: Deps, due: DeliveryRow[], until: number): Promise<DeliveryRow[]> {
  return deps.store.tx(async (trx) => {
    const mine: DeliveryRow[] = [];
    for (const row of due) {
      const result = await trx
        .updateTable('webhook_deliveries')
        .set({ next_at: until })
        .where('entry_id', '=', row.entry_id)
        .where('webhook_id', '=', row.webhook_id)
        .where('next_at', '=', row.next_at)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) mine.push(row);
    }
    return mine;
  });
}

/** A delivery to try again: after the delay its attempts call for, or at once when the app's closing cut it short. */
interface Retry {
  entryId: string;
  webhookId: string;
  attempts: number;
  interrupted: boolean;
}

/** One batch: the rows due at `now`, delivered and settled. Returns how many rows it read. */
async function deliverBatch(deps: Deps, log: DeliveryLog | undefined, signal: AbortSignal): Promise<number> {
  const now = deps.now();
  const due = await deps.store.db.selectFrom('webhook_deliveries').selectAll().where('next_at', '<=', now).orderBy('next_at').orderBy('entry_id').limit(BATCH).execute();
  if (due.length === 0) return 0;
  const lease = now + LEASE_MS;
  const rows = await claim(deps, due, lease);
  if (rows.length === 0) return due.length;

  const db = deps.store.db;
  const entries = await db.selectFrom('audit_log').selectAll().where('id', 'in', [...new Set(rows.map((r) => r.entry_id))]).execute();
  const context = await auditContext(db, deps.accountId, entries);
  const payloads = new Map(entries.map((entry) => [entry.id, { body: JSON.stringify(representAuditEntry(entry, context, true)), access: accessOf(entry) }]));
  const webhooks = await db.selectFrom('webhooks').selectAll().where('enabled', '=', 1).execute();
  const pickers = new Map(webhooks.map((w) => [w.id, accessPicker(webhookDoc(w).statements ?? [])]));

  const retries: Retry[] = [];
  await Promise.all(
    rows.flatMap((row) => {
      const payload = payloads.get(row.entry_id);
      // An entry gone (its project deleted) or a webhook off or deleted since: nothing is left to deliver.
      if (!payload) return [];
      const targets: WebhookRow[] = row.webhook_id === '' ? webhooks.filter((w) => pickers.get(w.id)!(payload.access)) : webhooks.filter((w) => w.id === row.webhook_id);
      return targets.map(async (webhook) => {
        const doc = webhookDoc(webhook);
        const problem = await post(doc.url, payload.body, doc.secret, signal);
        if (problem === undefined) return;
        const before = row.webhook_id === '' ? 0 : row.attempts;
        if (signal.aborted) {
          retries.push({ entryId: row.entry_id, webhookId: webhook.id, attempts: before, interrupted: true });
          return;
        }
        const attempts = before + 1;
        const last = attempts > RETRY_DELAYS_MS.length;
        log?.warn({ webhookId: webhook.id, auditLogEntryId: row.entry_id, attempt: attempts, problem }, last ? 'a webhook delivery failed for the last time; given up' : 'a webhook delivery failed; it will be tried again');
        if (!last) retries.push({ entryId: row.entry_id, webhookId: webhook.id, attempts, interrupted: false });
      });
    }),
  );

  const settled = deps.now();
  await deps.store.tx(async (trx) => {
    for (const row of rows) {
      await trx.deleteFrom('webhook_deliveries').where('entry_id', '=', row.entry_id).where('webhook_id', '=', row.webhook_id).where('next_at', '=', lease).execute();
    }
    for (const retry of retries) {
      const nextAt = retry.interrupted ? settled : settled + RETRY_DELAYS_MS[retry.attempts - 1];
      await trx
        .insertInto('webhook_deliveries')
        .values({ entry_id: retry.entryId, webhook_id: retry.webhookId, attempts: retry.attempts, next_at: nextAt })
        .onConflict((oc) => oc.columns(['entry_id', 'webhook_id']).doNothing())
        .execute();
    }
  });
  return due.length;
}

/** Delivers what is due, a batch at a time, until a batch comes back short (or a pass has done its share). */
export async function deliverDueWebhooks(deps: Deps, log?: DeliveryLog, signal: AbortSignal = new AbortController().signal): Promise<number> {
  let read = 0;
  for (let i = 0; i < BATCHES_PER_PASS && !signal.aborted; i++) {
    const n = await deliverBatch(deps, log, signal);
    read += n;
    if (n < BATCH) break;
  }
  return read;
}

/** Runs deliverDueWebhooks every quarter second until the app closes; a POST under way when it closes is cut short. */
export function startWebhookJob(app: FastifyInstance, deps: Deps): void {
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  startJob(app, INTERVAL_MS, () => deliverDueWebhooks(deps, app.log, closing.signal), 'could not deliver webhooks');
}
