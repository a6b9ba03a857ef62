// Every write leaves an audit entry in the same transaction: who, when, what (before and after), and why.
import type { Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
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

export async function recordAudit(trx: Trx, actor: Actor | undefined, now: number, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      id: objectId(now),
      date: now,
      member_id: actor?.memberId ?? null,
      token_id: actor?.tokenId ?? null,
      kind: entry.kind,
      resource: entry.resource,
      project_key: entry.projectKey ?? null,
      doc: JSON.stringify({ ...entry, tokenName: actor?.tokenName }),
    })
    .execute();
}
