// Every write leaves an audit entry in the same transaction: who, when, what (before and after), and why.
import type { Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { byArity, placeholders, statement, type Statement } from '../../store/statements.js';
import type { Actor } from '../../http/context.js';

export interface AuditEntry {
  /** LaunchDarkly's resource kind: flag, experiment, metric, project, environment, token... */
  kind: string;
  /** LaunchDarkly resource specifier, e.g. `proj/p:env/production:experiment/exp`. */
  resource: string;
  /** The action taken, named as LaunchDarkly's actions are (createFlag, updateOn, ...). */
  action: string;
  /** A human title, e.g. `created the flag My Flag`. */
  description: string;
  /** The name of the resource the entry is about. */
  name: string;
  projectKey?: string;
  comment?: string;
  /** The change as the client sent it (JSON Patch operations, merge patch, instructions), when it was an update. */
  delta?: unknown;
  before?: unknown;
  /**
   * The flag an entry of another resource is about, when the resource specifier does not say (an experiment's
   * flag): shown as the entry's `relatedFlag`.
   */
  relatedFlagKey?: string;
  /** Last of the entry's fields, so that a SerializedJson one goes into the text where its object would. */
  after?: unknown;
}

/**
 * A document's JSON text, serialized once and written as it is into the several texts that hold it (a new
 * iteration is in its draft row and in the audit entry of every call that wrote it).
 */
export class SerializedJson {
  constructor(readonly text: string) {}

  /** The text of `{ _id: id, ...document }`: the document (an object, never empty) with its id first. */
  static withId(id: string, documentText: string): SerializedJson {
    return new SerializedJson(`{"_id":${JSON.stringify(id)},${documentText.slice(1)}`);
  }
}

/** 8 parameters a row: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters a statement. */
const AUDIT_ROWS_PER_STATEMENT = 64;
const COLUMNS = '"id", "date", "member_id", "token_id", "kind", "resource", "project_key", "doc"';
const insertEntries = byArity((n) => statement(`insert into "audit_log" (${COLUMNS}) values ${placeholders(n, '(?, ?, ?, ?, ?, ?, ?, ?)')}`));

/** An audit entry's row, column by column: id, date, member_id, token_id, kind, resource, project_key, doc. */
export function auditValues(actor: Actor | undefined, now: number, entry: AuditEntry): unknown[] {
  return [
    objectId(now),
    now,
    actor?.memberId ?? null,
    actor?.tokenId ?? null,
    entry.kind,
    entry.resource,
    entry.projectKey ?? null,
    auditText(entry, actor?.tokenName),
  ];
}

/** The stored text of an entry: JSON.stringify of the entry with the token's name, an `after` text spliced in. */
function auditText(entry: AuditEntry, tokenName: string | undefined): string {
  if (!(entry.after instanceof SerializedJson)) return JSON.stringify({ ...entry, tokenName });
  const envelope = JSON.stringify({ ...entry, after: undefined });
  return `${envelope.slice(0, -1)},"after":${entry.after.text}${tokenName === undefined ? '' : `,"tokenName":${JSON.stringify(tokenName)}`}}`;
}

export async function recordAudit(trx: Trx, actor: Actor | undefined, now: number, entry: AuditEntry): Promise<void> {
  await insertEntries(1).run(trx, auditValues(actor, now, entry));
}

/** The statements that insert several writes' entries, in order (writes folded into one transaction). */
export function auditInserts(entries: readonly { actor: Actor | undefined; now: number; entry: AuditEntry }[]): { statement: Statement<never>; params: unknown[] }[] {
  const inserts = [];
  for (let i = 0; i < entries.length; i += AUDIT_ROWS_PER_STATEMENT) {
    const chunk = entries.slice(i, i + AUDIT_ROWS_PER_STATEMENT);
    inserts.push({ statement: insertEntries(chunk.length), params: chunk.flatMap(({ actor, now, entry }) => auditValues(actor, now, entry)) });
  }
  return inserts;
}

/** Several writes' entries, in order (writes folded into one transaction). */
export async function recordAudits(trx: Trx, entries: readonly { actor: Actor | undefined; now: number; entry: AuditEntry }[]): Promise<void> {
  for (const { statement, params } of auditInserts(entries)) await statement.run(trx, params);
}
