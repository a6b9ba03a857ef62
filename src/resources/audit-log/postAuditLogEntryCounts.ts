// POST /api/v2/auditlog/counts — how many entries the body's statements pick in each of `buckets` equal spans
// between `after` (required) and `before` (now by default), for charts of changes over time.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseEpochMillisParam } from '../../http/filter.js';
import { PAGE_ROWS, yieldTurn } from '../../store/reads.js';
import { projectViewer } from '../custom-roles/access.js';
import { accessesOf, accessPicker, readStatements } from './statements.js';

const DEFAULT_BUCKETS = 50;
const MAX_BUCKETS = 500;

/** Equal spans of [after, before): their width (at least 1 ms) and each one's start. */
export function bucketStarts(after: number, before: number, buckets: number): { interval: number; starts: number[] } {
  const interval = Math.max(1, Math.ceil((before - after) / buckets));
  return { interval, starts: Array.from({ length: buckets }, (_, i) => after + i * interval) };
}

/** `buckets`: a whole number from 1 to 500, 50 when absent; a 400 naming it otherwise. */
function readBuckets(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_BUCKETS;
  const text = String(Array.isArray(raw) ? raw[raw.length - 1] : raw).trim();
  const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_BUCKETS)) throw validationFailed([{ attribute: 'buckets', reason: `must be a whole number from 1 to ${MAX_BUCKETS}, not "${text}"` }]);
  return n;
}

export function postAuditLogEntryCounts(app: FastifyInstance, deps: Deps): void {
  // A count is a read: any role may ask for it.
  app.post('/api/v2/auditlog/counts', { config: { role: 'reader' } }, async (request) => {
    const query = request.query as Record<string, unknown>;
    const after = parseEpochMillisParam(query.after, 'after');
    if (after === undefined) throw validationFailed([{ attribute: 'after', reason: 'is required: the start of the range, a Unix time in milliseconds' }]);
    const before = parseEpochMillisParam(query.before, 'before') ?? deps.now();
    if (before <= after) throw validationFailed([{ attribute: 'before', reason: `must be later than after (${after}), not ${before}` }]);
    const buckets = readBuckets(query.buckets);
    const picks = accessPicker(readStatements(request.body, true));
    const mayView = await projectViewer(deps.store.db, request.actor);
    const { interval, starts } = bucketStarts(after, before, buckets);
    const counts = new Array<number>(buckets).fill(0);
    // Read in pages (oldest first) with a turn of the event loop between them: a long range may hold many entries.
    let from = after;
    let fromId = '';
    for (;;) {
      const rows = await deps.store.db
        .selectFrom('audit_log')
        .select(['id', 'date', 'kind', 'resource', 'project_key', 'doc'])
        .where((eb) => eb.or([eb('date', '>', from), eb.and([eb('date', '=', from), eb('id', '>', fromId)])]))
        .where('date', '<', before)
        .orderBy('date')
        .orderBy('id')
        .limit(PAGE_ROWS)
        .execute();
      for (const row of rows) {
        const date = Number(row.date);
        if (date <= after || (mayView && row.project_key !== null && !mayView(row.project_key))) continue;
        if (!accessesOf(row).some(picks)) continue;
        counts[Math.min(buckets - 1, Math.floor((date - after) / interval))] += 1;
      }
      if (rows.length < PAGE_ROWS) break;
      const last = rows[rows.length - 1];
      from = Number(last.date);
      fromId = last.id;
      await yieldTurn();
    }
    return {
      buckets: starts.map((timestamp, i) => ({ timestamp, count: counts[i] })),
      totalCount: counts.reduce((a, b) => a + b, 0),
      bucketIntervalMs: interval,
    };
  });
}
