// Every write leaves an audit entry in the same transaction: who, when, what (before and after), and why.
import type { Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { statement } from '../../store/statements.js';
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
  after?: unknown;
}

const insertEntry = statement(
  'insert into "audit_log" ("id", "date", "member_id", "token_id", "kind", "resource", "project_key", "doc") values (?, ?, ?, ?, ?, ?, ?, ?)',
);

export async function recordAudit(trx: Trx, actor: Actor | undefined, now: number, entry: AuditEntry): Promise<void> {
  await insertEntry.run(trx, [
    objectId(now),
    now,
    actor?.memberId ?? null,
    actor?.tokenId ?? null,
    entry.kind,
    entry.resource,
    entry.projectKey ?? null,
    JSON.stringify({ ...entry, tokenName: actor?.tokenName }),
  ]);
}
