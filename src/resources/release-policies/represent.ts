// The ReleasePolicy and ReleasePoliciesResponse representations, and the audit entry of each change to a policy:
// the only code that builds their JSON.
import type { AuditEntry } from '../audit-log/record.js';
import { policyDoc, type PolicyRow } from './model.js';

export function representPolicy(row: PolicyRow): Record<string, unknown> {
  const doc = policyDoc(row);
  return {
    _id: row.id,
    key: row.key,
    name: doc.name,
    rank: row.rank,
    releaseMethod: doc.releaseMethod,
    ...(doc.scope !== undefined ? { scope: doc.scope } : {}),
    ...(doc.guardedReleaseConfig !== undefined ? { guardedReleaseConfig: doc.guardedReleaseConfig } : {}),
    ...(doc.progressiveReleaseConfig !== undefined ? { progressiveReleaseConfig: doc.progressiveReleaseConfig } : {}),
  };
}

/** The resource specifier iterlab names a policy by: `proj/p:release-policy/key`. */
export function policyResource(projectKey: string, key: string): string {
  return `proj/${projectKey}:release-policy/${key}`;
}

export function policyAudit(projectKey: string, row: PolicyRow, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  const name = policyDoc(row).name;
  return { kind: 'releasePolicy', resource: policyResource(projectKey, row.key), action, name, description: `${verb} the release policy ${name}`, projectKey, ...extra };
}
