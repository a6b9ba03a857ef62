// Big segments' exports and imports as stored: an export's document and the CSV file of the segment's included keys it
// made; an import's document and the reading of an uploaded CSV file (LaunchDarkly's rules: the context keys in the
// first column, no header row, at most 40 MB and 1,000,000 keys); who asked for either; the lookups that 404 naming them.
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import type { Db, Trx } from '../../store/db.js';
import type { BigSegmentExportsTable, BigSegmentImportsTable } from '../../store/schema.js';
import { findMember, memberDoc } from '../members/members.js';
import type { BigSegmentParams } from './bigSegmentOperations.js';
import { findSegment, type LoadedSegment, type SegmentScope } from './model.js';

export type ExportRow = BigSegmentExportsTable;
export type ImportRow = BigSegmentImportsTable;

/** LaunchDarkly's InitiatorRep: the member who asked. */
export interface Initiator {
  name: string;
  email: string;
}

export interface ExportDoc {
  status: 'complete';
  sizeBytes: number;
  keyCount: number;
  initiator?: Initiator;
}

export const IMPORT_MODES = ['merge', 'replace'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface ImportDoc {
  mode: ImportMode;
  status: 'complete';
  files: { filename: string; status: 'complete' }[];
  /** Keys in the file (each once), keys it added to the included targets, keys a replace removed from them. */
  keyCount: number;
  addedCount: number;
  removedCount: number;
  initiator?: Initiator;
}

/** LaunchDarkly's limits on an uploaded file. */
export const MAX_IMPORT_BYTES = 40 * 1024 * 1024;
const MAX_IMPORT_KEYS = 1_000_000;
/** As updateBigSegmentContextTargets takes a key. */
const MAX_KEY_LENGTH = 1024;

/** The member behind the request's token, as an export or import names who asked. */
export async function initiatorOf(db: Db | Trx, request: FastifyRequest): Promise<Initiator | undefined> {
  const member = request.actor ? await findMember(db, request.actor.memberId) : undefined;
  if (!member) return undefined;
  const { firstName, lastName } = memberDoc(member);
  return { name: `${firstName} ${lastName}`.trim() || member.email, email: member.email };
}

/** A key as one CSV field: quoted (quotes doubled) when it holds a comma, a quote, a line break or edge spaces. */
function csvField(key: string): string {
  return /[",\r\n]|^\s|\s$/.test(key) ? `"${key.replace(/"/g, '""')}"` : key;
}

/** The export's file: one key a line, in the first (only) column, no header; what an import reads back. */
export function keysCsv(keys: readonly string[]): string {
  return keys.map((key) => `${csvField(key)}\n`).join('');
}

interface FirstField {
  line: number;
  value: string;
  quoted: boolean;
  /** Nothing on the line at all (not even other columns). */
  blank: boolean;
}

/** The first field of each CSV record (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks). */
function firstFields(text: string): FirstField[] {
  const out: FirstField[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length) throw validationFailed([{ attribute: 'file', reason: `line ${start}: a quoted field is not closed` }]);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === '\n') line++;
        value += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    }
    // The rest of the record: other columns, which LaunchDarkly allows and ignores.
    const restStart = i;
    let inQuotes = false;
    while (i < text.length && (inQuotes || (text[i] !== '\n' && text[i] !== '\r'))) {
      if (text[i] === '"') inQuotes = !inQuotes;
      else if (text[i] === '\n') line++;
      i++;
    }
    const blank = !quoted && value.trim() === '' && text.slice(restStart, i).trim() === '';
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    out.push({ line: start, value, quoted, blank });
  }
  return out;
}

/**
 * The context keys of an uploaded file, each once, in file order. Blank lines are skipped; an empty first column,
 * a key longer than 1024 characters, more than 1,000,000 keys or no key at all is a 400 naming `file` and the line.
 */
export function readImportKeys(text: string): string[] {
  const errors: FieldError[] = [];
  const keys = new Set<string>();
  for (const { line, value, quoted, blank } of firstFields(text.replace(/^\uFEFF/, ''))) {
    if (blank) continue;
    const key = quoted ? value : value.trim();
    if (key === '') {
      errors.push({ attribute: 'file', reason: `line ${line}: the first column must hold a context key` });
    } else if (key.length > MAX_KEY_LENGTH) errors.push({ attribute: 'file', reason: `line ${line}: a context key may be at most ${MAX_KEY_LENGTH} characters` });
    else keys.add(key);
    if (errors.length >= 10) break;
  }
  if (errors.length > 0) throw validationFailed(errors);
  if (keys.size === 0) throw validationFailed([{ attribute: 'file', reason: 'holds no context keys: put one context key in the first column of each line' }]);
  if (keys.size > MAX_IMPORT_KEYS) throw validationFailed([{ attribute: 'file', reason: `holds ${keys.size} context keys; at most ${MAX_IMPORT_KEYS} may be imported at once (use mode merge with several files)` }]);
  return [...keys];
}

/** "18 B", "1.5 KB", "2.3 MB": LaunchDarkly's Export `size`. */
export function humanSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function exportDoc(row: Pick<ExportRow, 'doc'>): ExportDoc {
  return JSON.parse(row.doc) as ExportDoc;
}

export function importDoc(row: Pick<ImportRow, 'doc'>): ImportDoc {
  return JSON.parse(row.doc) as ImportDoc;
}

/** The project and environment a path names (404 naming the missing one), and the scope its segment is found in. */
export async function segmentPlace(deps: Deps, params: BigSegmentParams): Promise<{ project: { id: string; key: string }; environment: { key: string }; scope: SegmentScope }> {
  const { project, environment } = await deps.catalog.projectEnvironment(params.projectKey, params.environmentKey);
  return { project, environment, scope: { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id } };
}

/** The segment a path names, for the reads of its exports and imports. */
export async function segmentAt(deps: Deps, params: BigSegmentParams): Promise<{ projectKey: string; environmentKey: string; segment: LoadedSegment }> {
  const { scope } = await segmentPlace(deps, params);
  return { projectKey: scope.projectKey, environmentKey: scope.environmentKey, segment: await findSegment(deps.store.db, scope, params.segmentKey) };
}

/** The segment's export by id (404 naming it), without its file. */
export async function findExport(db: Db | Trx, segmentId: string, id: string, what: string): Promise<Omit<ExportRow, 'csv'>> {
  const row = await db.selectFrom('big_segment_exports').select(['id', 'segment_id', 'doc', 'created_at']).where('segment_id', '=', segmentId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Export "${id}" of ${what}`);
  return row;
}

/** The file an export made. */
export async function exportFile(db: Db | Trx, id: string): Promise<string> {
  const row = await db.selectFrom('big_segment_exports').select('csv').where('id', '=', id).executeTakeFirstOrThrow();
  return row.csv;
}

/** The segment's import by id (404 naming it). */
export async function findImport(db: Db | Trx, segmentId: string, id: string, what: string): Promise<ImportRow> {
  const row = await db.selectFrom('big_segment_imports').selectAll().where('segment_id', '=', segmentId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Import "${id}" of ${what}`);
  return row;
}
