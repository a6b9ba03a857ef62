// GET /api/v2/auditlog — the audit log, newest first: before/after (epoch ms), q (the resource's name or key, the
// entry's description or comment), spec (resource specifier).
// postAuditLogEntries lists it the same way, thinned out by a body of statements.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseEpochMillisParam } from '../../http/filter.js';
import { link, readPage } from '../../http/links.js';
import type { Db } from '../../store/db.js';
import { projectViewer } from '../custom-roles/access.js';
import { splitOutsideBraces } from '../custom-roles/policy.js';
import { auditContext, representAuditEntry, type AuditRow } from './represent.js';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 20;
/** Rows read per query while a `spec` filter (applied here, not in SQL) thins them out. */
const BATCH = 200;

function text(query: Record<string, unknown>, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  return String(Array.isArray(raw) ? raw[raw.length - 1] : raw);
}

/** The resources LaunchDarkly's roles name without a key. */
const KEYLESS_RESOURCES: ReadonlySet<string> = new Set(['acct', 'ip-allowlist']);

interface Segment {
  type: string;
  name: RegExp;
}

/**
 * `proj/web:env/*;{critical:true}:flag/checkout;tag` -> one matcher per segment (tags and attribute filters, after
 * `;`, are ignored; the colons inside a filter's braces are not levels').
 */
export function parseSpecifier(spec: string, attribute = 'spec'): Segment[] {
  return splitOutsideBraces(spec, ':').map((level) => {
    const part = splitOutsideBraces(level, ';')[0];
    const slash = part.indexOf('/');
    // A resource LaunchDarkly names without a key (`acct`, `ip-allowlist`) names it, whatever key its entries record.
    if (slash < 0 && KEYLESS_RESOURCES.has(part.trim())) return { type: part.trim(), name: /^/ };
    if (slash <= 0) throw validationFailed([{ attribute, reason: `"${part}" is not a resource of the form type/name (e.g. proj/my-project:env/*:flag/*)` }]);
    const glob = part.slice(slash + 1) || '*';
    const pattern = glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return { type: part.slice(0, slash), name: new RegExp(`^${pattern}$`) };
  });
}

/** Whether an entry's resource is one the specifier names. An entry recorded for several environments (`env/*`) matches any. */
export function matchesSpecifier(resource: string, segments: Segment[]): boolean {
  const parts = resource.split(':');
  if (parts.length !== segments.length) return false;
  return segments.every((segment, i) => {
    const slash = parts[i].indexOf('/');
    const type = slash < 0 ? parts[i] : parts[i].slice(0, slash);
    const name = slash < 0 ? '' : parts[i].slice(slash + 1);
    return (segment.type === '*' || segment.type === type) && (name === '*' || segment.name.test(name));
  });
}

/**
 * Whether an entry is one `q` names: "the full or partial name of the resource" (the spec), so its name or key (the
 * last level of its resource specifier), and the entry's own description and comment; case-insensitively. What the
 * resource looked like before and after (another resource named inside it) is not searched.
 */
export function matchesQ(row: Pick<AuditRow, 'doc' | 'resource'>, q: string): boolean {
  const entry = JSON.parse(row.doc) as { name?: unknown; description?: unknown; comment?: unknown };
  const levels = row.resource.split(':');
  const last = levels[levels.length - 1];
  const key = last.slice(last.indexOf('/') + 1).split(';')[0];
  const needle = q.toLowerCase();
  return [entry.name, key, entry.description, entry.comment].some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}

interface Cursor {
  before?: number;
  /** With `before`: entries of that very millisecond whose id sorts below this one are included too. */
  beforeId?: string;
  after?: number;
  q?: string;
}

async function readRows(db: Db, cursor: Cursor, limit: number): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll();
  const { before, beforeId, after, q } = cursor;
  if (before !== undefined) {
    query = beforeId === undefined
      ? query.where('date', '<', before)
      : query.where((eb) => eb.or([eb('date', '<', before), eb.and([eb('date', '=', before), eb('id', '<', beforeId)])]));
  }
  if (after !== undefined) query = query.where('date', '>', after);
  // A first cut in SQL: every field q is matched against is in the stored text, as written where q is plain ASCII
  // (JSON escapes quotes and backslashes; SQLite lowers ASCII letters only). matchesQ decides.
  if (q && /^[\x20-\x7e]*$/.test(q) && !/["\\]/.test(q)) {
    query = query.where(sql<boolean>`lower(doc) like ${`%${q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`} escape '\\'`);
  }
  return query.orderBy('date', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** One page of the entries the caller may see, newest first, that the query (and `matches`, when given) lets through. */
export async function listAuditEntries(deps: Deps, request: FastifyRequest, matches?: (row: AuditRow) => boolean): Promise<Record<string, unknown>> {
  const query = request.query as Record<string, unknown>;
  const { limit } = readPage({ limit: query.limit }, DEFAULT_LIMIT, MAX_LIMIT);
  const before = parseEpochMillisParam(query.before, 'before');
  const after = parseEpochMillisParam(query.after, 'after');
  const q = text(query, 'q');
  const spec = text(query, 'spec');
  const cursorId = text(query, 'cursor');
  if (cursorId !== undefined && before === undefined) throw validationFailed([{ attribute: 'cursor', reason: 'is only meaningful with before (it comes from a next link)' }]);
  // `*` names every resource, as in a role policy's `resources` (and a search's statements).
  const segments = spec && spec.trim() !== '*' ? parseSpecifier(spec) : undefined;

  // A custom-role token sees the entries of the projects it may view, and the account's own.
  const mayView = await projectViewer(deps.store.db, request.actor);
  const shows = (row: AuditRow) =>
    (!segments || matchesSpecifier(row.resource, segments)) &&
    (!mayView || row.project_key === null || mayView(row.project_key)) &&
    (!q || matchesQ(row, q)) &&
    (!matches || matches(row));
  const found: AuditRow[] = [];
  let cursor: Cursor = { before, beforeId: cursorId, after, q };
  for (;;) {
    const batch = segments || mayView || matches || q ? BATCH : limit + 1;
    const rows = await readRows(deps.store.db, cursor, batch);
    for (const row of rows) if (shows(row)) found.push(row);
    if (found.length > limit || rows.length < batch) break;
    const last = rows[rows.length - 1];
    cursor = { ...cursor, before: last.date, beforeId: last.id };
  }
  const shown = found.slice(0, limit);
  const context = await auditContext(deps.store.db, deps.accountId, shown);
  const params = (extra: Record<string, string | undefined>) => {
    const out = new URLSearchParams();
    for (const [name, value] of Object.entries({ after: after?.toString(), q, spec, limit: String(limit), ...extra })) if (value !== undefined) out.set(name, value);
    return `/api/v2/auditlog?${out.toString()}`;
  };
  const links: Record<string, ReturnType<typeof link>> = { self: link(params({ before: before?.toString(), cursor: cursorId })) };
  if (found.length > limit) {
    const last = shown[shown.length - 1];
    links.next = link(params({ before: String(last.date), cursor: last.id }));
  }
  return { items: shown.map((row) => representAuditEntry(row, context, false)), _links: links };
}

export function getAuditLogEntries(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/auditlog', async (request) => listAuditEntries(deps, request));
}
