// The FlagLinkRep representation, and the audit entry of each change to a flag's links.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import type { MemberRow } from '../members/members.js';
import { linkDoc, type FlagLinkRow } from './model.js';

export function linksPath(projectKey: string, flagKey: string): string {
  return `/api/v2/flag-links/projects/${projectKey}/flags/${encodeURIComponent(flagKey)}`;
}

/** TimestampRep: one time in the four forms LaunchDarkly gives it. */
function timestampRep(ms: number): Record<string, unknown> {
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { milliseconds: ms, seconds: Math.floor(ms / 1000), rfc3339: iso, simple: iso.replace('T', ' ').replace('Z', '') };
}

export function representFlagLink(row: FlagLinkRow, projectKey: string, flagKey: string, member: MemberRow | undefined): Record<string, unknown> {
  const doc = linkDoc(row);
  const memberDoc = member ? (JSON.parse(member.doc) as { firstName?: string; lastName?: string }) : undefined;
  return {
    _links: { parent: link(linksPath(projectKey, flagKey)) },
    ...(row.key !== null ? { _key: row.key } : {}),
    _id: row.id,
    _deepLink: doc.deepLink,
    _timestamp: timestampRep(doc.timestamp),
    ...(doc.title !== undefined ? { title: doc.title } : {}),
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    _createdAt: Number(row.created_at),
    ...(member
      ? { _member: { _links: { self: link(`/api/v2/members/${member.id}`) }, _id: member.id, ...(memberDoc?.firstName !== undefined ? { firstName: memberDoc.firstName } : {}), ...(memberDoc?.lastName !== undefined ? { lastName: memberDoc.lastName } : {}) } }
      : {}),
  };
}

/** A flag link's change, audited as a change of its flag (`proj/p:env/*:flag/f`). */
export function linkAudit(projectKey: string, flagKey: string, flagName: string, action: string, description: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'flag', resource: `proj/${projectKey}:env/*:flag/${flagKey}`, action, name: flagName, description, projectKey, ...extra };
}
