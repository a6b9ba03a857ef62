// Delivers the audit log to webhooks. Every entry written while some webhook is on leaves an outbox row in its own
// transaction (migration 017's trigger); each instance takes due rows every quarter second, POSTs the entry (as
// getAuditLogEntry shows it, LaunchDarkly's webhook payload) to every webhook that is on and whose statements pick
// it, signed with X-LD-Signature when the webhook has a secret, and tries a failed delivery again later. At least
// once: a row is forgotten only after its POSTs are answered, so an instance that stops mid-way leaves it for the
// next pass (its lease runs out); LaunchDarkly, too, says deliveries may come out of order.
import http from 'node:http';
import https from 'node:https';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { startJob, type JobLog } from '../../http/jobs.js';
import type { WebhookDeliveriesTable } from '../../store/schema.js';
import { auditContext, representAuditEntry } from '../audit-log/represent.js';
import { accessesOf, accessPicker, type Access } from '../audit-log/statements.js';
import { signature, webhookDoc, type WebhookDoc, type WebhookRow } from './model.js';

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

// Connections to webhooks' servers are kept open between deliveries (node:http rather than fetch, which cost
// several times the CPU per delivery: bench/README.md, "Webhooks").
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * One POST of a payload to a webhook: undefined when it was answered 2xx within TIMEOUT_MS, else why not. Never
 * rejects: a URL node:http refuses (one an import brought in unchecked) is a failed attempt like any other.
 */
function post(url: string, body: string, secret: string | undefined, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      const target = new URL(url);
      const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': USER_AGENT };
      if (secret !== undefined) headers['x-ld-signature'] = signature(body, secret);
      const secure = target.protocol === 'https:';
      const request = (secure ? https : http).request(target, { method: 'POST', headers, agent: agents[secure ? 'https:' : 'http:'], signal }, (response) => {
        // Drained so that the connection is free for the next delivery; redirects are not followed.
        response.resume();
        response.on('end', () => resolve(response.statusCode! >= 200 && response.statusCode! < 300 ? undefined : `answered ${response.statusCode}`));
        response.on('error', (err) => resolve(err.message));
      });
      // The whole exchange, not only a silence: a server that trickles its answer is cut off too.
      const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
      request.on('close', () => clearTimeout(deadline));
      request.on('error', (err) => resolve(err.message));
      request.end(body);
    } catch (err) {
      resolve(err instanceof Error ? err.message : String(err));
    }
  });
}

/**
 * Takes up to BATCH due rows, in one statement: their next_at moves to `lease`, so no other pass takes them until it
 * has run out. On PostgreSQL rows another instance is taking are skipped, and `next_at <= now` is checked again on
 * each row as it is locked, so a row is taken by one pass only.
 */
async function claim(deps: Deps, now: number, lease: number): Promise<DeliveryRow[]> {
  const postgres = deps.store.kind === 'postgres';
  return deps.store.tx((trx) =>
    trx
      .updateTable('webhook_deliveries')
      .set({ next_at: lease })
      .where('next_at', '<=', now)
      .where(({ eb, refTuple, selectFrom }) =>
        eb(
          refTuple('entry_id', 'webhook_id'),
          'in',
          selectFrom('webhook_deliveries')
            .select(['entry_id', 'webhook_id'])
            .where('next_at', '<=', now)
            .orderBy('next_at')
            .orderBy('entry_id')
            .limit(BATCH)
            .$if(postgres, (q) => q.forUpdate().skipLocked())
            .$asTuple('entry_id', 'webhook_id'),
        ),
      )
      .returningAll()
      .execute(),
  );
}

/** A delivery to try again: after the delay its attempts call for, or at once when the app's closing cut it short. */
interface Retry {
  entryId: string;
  webhookId: string;
  attempts: number;
  interrupted: boolean;
}

/** What `read` returns, or undefined (logged) when it throws. */
function readable<T>(log: JobLog | undefined, what: object, read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    log?.warn({ ...what, err }, 'a webhook delivery was left out: its audit entry or webhook could not be read');
    return undefined;
  }
}

/** One batch: rows due now, taken, delivered and settled. Returns how many it took. */
async function deliverBatch(deps: Deps, log: JobLog | undefined, signal: AbortSignal): Promise<number> {
  const now = deps.now();
  // Most passes find nothing: a read, not a write, says so.
  const due = await deps.store.db.selectFrom('webhook_deliveries').select('entry_id').where('next_at', '<=', now).limit(1).execute();
  if (due.length === 0) return 0;
  const lease = now + LEASE_MS;
  const rows = await claim(deps, now, lease);
  if (rows.length === 0) return 0;

  const db = deps.store.db;
  const entries = await db.selectFrom('audit_log').selectAll().where('id', 'in', [...new Set(rows.map((r) => r.entry_id))]).execute();
  const context = await auditContext(db, deps.accountId, entries);
  // An entry or a webhook that cannot be read (a row an import brought in unchecked) is logged and left out, rather
  // than failing the batch, whose rows would then come back after every lease.
  const payloads = new Map<string, { body: string; accesses: Access[] }>();
  for (const entry of entries) {
    const payload = readable(log, { auditLogEntryId: entry.id }, () => ({ body: JSON.stringify(representAuditEntry(entry, context, true)), accesses: accessesOf(entry) }));
    if (payload) payloads.set(entry.id, payload);
  }
  const webhooks: { row: WebhookRow; doc: WebhookDoc; picks: (access: Access) => boolean }[] = [];
  for (const row of await db.selectFrom('webhooks').selectAll().where('enabled', '=', 1).execute()) {
    const read = readable(log, { webhookId: row.id }, () => {
      const doc = webhookDoc(row);
      return { row, doc, picks: accessPicker(doc.statements ?? []) };
    });
    if (read) webhooks.push(read);
  }

  const retries: Retry[] = [];
  await Promise.all(
    rows.flatMap((row) => {
      const payload = payloads.get(row.entry_id);
      // An entry gone (its project deleted) or a webhook off or deleted since: nothing is left to deliver.
      if (!payload) return [];
      const targets = row.webhook_id === '' ? webhooks.filter((w) => payload.accesses.some(w.picks)) : webhooks.filter((w) => w.row.id === row.webhook_id);
      return targets.map(async ({ row: webhook, doc }) => {
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
    // Still under this pass's lease: a row whose lease ran out meanwhile may be another pass's now.
    await trx
      .deleteFrom('webhook_deliveries')
      .where('next_at', '=', lease)
      .where(({ eb, refTuple, tuple }) => eb(refTuple('entry_id', 'webhook_id'), 'in', rows.map((row) => tuple(row.entry_id, row.webhook_id))))
      .execute();
    if (retries.length === 0) return;
    await trx
      .insertInto('webhook_deliveries')
      .values(retries.map((retry) => ({ entry_id: retry.entryId, webhook_id: retry.webhookId, attempts: retry.attempts, next_at: retry.interrupted ? settled : settled + RETRY_DELAYS_MS[retry.attempts - 1] })))
      .onConflict((oc) => oc.columns(['entry_id', 'webhook_id']).doNothing())
      .execute();
  });
  return rows.length;
}

/** Delivers what is due, a batch at a time, until a batch comes back short (or a pass has done its share). */
export async function deliverDueWebhooks(deps: Deps, log?: JobLog, signal: AbortSignal = new AbortController().signal): Promise<number> {
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
  startJob(app, INTERVAL_MS, (closing) => deliverDueWebhooks(deps, app.log, closing), 'could not deliver webhooks');
}
