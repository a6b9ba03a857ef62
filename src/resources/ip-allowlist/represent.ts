// IpAllowlistResponse and IpAllowlistEntryResponse, and the audit entry of each change to the allowlist: the only code
// that builds their JSON.
import type { AuditEntry } from '../audit-log/record.js';
import { entryDoc, type IpAllowlistConfig, type IpAllowlistEntryRow } from './model.js';

export const IP_ALLOWLIST_PATH = '/api/v2/account/ip-allowlist';

export function representEntry(row: IpAllowlistEntryRow): Record<string, unknown> {
  const doc = entryDoc(row);
  return {
    _id: row.id,
    ipAddress: row.ip_address,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    ...(doc.createdByMemberId !== undefined ? { _createdByMemberId: doc.createdByMemberId } : {}),
    _createdAt: Number(row.created_at),
    _updatedAt: Number(row.updated_at),
  };
}

export function representAllowlist(config: IpAllowlistConfig, rows: readonly IpAllowlistEntryRow[]): Record<string, unknown> {
  return { sessionAllowlistEnabled: config.sessionAllowlistEnabled, apiTokenAllowlistEnabled: config.apiTokenAllowlistEnabled, entries: rows.map(representEntry) };
}

/**
 * An audit entry about the allowlist: `ip-allowlist/<entry id>` for an entry, `ip-allowlist/settings` for the
 * settings (the audit log's specifiers name a resource as type/name; role policies name the whole `ip-allowlist`).
 */
export function allowlistAudit(what: string, action: string, name: string, description: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'ip-allowlist', resource: `ip-allowlist/${what}`, action, name, description, ...extra };
}
