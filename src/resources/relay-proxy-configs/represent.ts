// The RelayAutoConfigRep representation, and the audit entry of each change to a configuration.
import type { AuditEntry } from '../audit-log/record.js';
import type { Db, Trx } from '../../store/db.js';
import { findMember, memberSummary, type MemberRow } from '../members/members.js';
import { relayDoc, type RelayAutoConfigRow } from './model.js';

/** `fullKey` only when the key was just made (creation, reset): it is not stored and cannot be shown again. */
export function representRelayAutoConfig(row: RelayAutoConfigRow, creator: MemberRow | undefined, fullKey?: string): Record<string, unknown> {
  const doc = relayDoc(row);
  return {
    _id: row.id,
    ...(creator ? { _creator: memberSummary(creator) } : {}),
    name: doc.name,
    policy: doc.policy,
    ...(fullKey !== undefined ? { fullKey } : {}),
    displayKey: doc.displayKey,
    creationDate: Number(row.created_at),
    lastModified: Number(row.last_modified),
  };
}

/** The entry for `action` on the configuration; the key never goes into it (every token may read the audit log). */
export function relayAudit(row: RelayAutoConfigRow, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  const doc = relayDoc(row);
  return {
    kind: 'relay-proxy-config',
    resource: `relay-proxy-config/${row.id}`,
    action,
    name: doc.name,
    description: `${verb} the Relay Proxy configuration ${doc.name}`,
    ...extra,
  };
}

/** The representation, with its creator read from `db`. */
export async function representRelayAutoConfigOf(db: Db | Trx, row: RelayAutoConfigRow, fullKey?: string): Promise<Record<string, unknown>> {
  const creatorId = relayDoc(row).creatorId;
  const creator = creatorId ? await findMember(db, creatorId) : undefined;
  return representRelayAutoConfig(row, creator, fullKey);
}
