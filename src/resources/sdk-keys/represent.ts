// The SdkKey representation and the audit entry of each change to a key: the only code that builds their JSON.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { sdkKeyDoc, type SdkKeyKind, type SdkKeyRow } from './model.js';

const environmentPath = (projectKey: string, environmentKey: string) => `/api/v2/projects/${projectKey}/environments/${environmentKey}`;
const keyPath = (projectKey: string, environmentKey: string, key: string) => `${environmentPath(projectKey, environmentKey)}/sdk-keys/${encodeURIComponent(key)}`;

/**
 * One key. `isDefault` is always false: an environment's default keys are its own `apiKey` and `mobileKey`, managed
 * by resetEnvironmentSDKKey and resetEnvironmentMobileKey, not by these routes.
 */
export function representSdkKey(projectKey: string, environmentKey: string, row: SdkKeyRow): Record<string, unknown> {
  const doc = sdkKeyDoc(row);
  return {
    _links: { parent: link(environmentPath(projectKey, environmentKey)), self: link(keyPath(projectKey, environmentKey, row.key)) },
    kind: row.kind as SdkKeyKind,
    key: row.key,
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    ...(row.expires_at !== null ? { expiry: Number(row.expires_at) } : {}),
    value: row.value,
    isDefault: false,
    ...(doc.createdByMemberId !== undefined ? { _createdByMemberId: doc.createdByMemberId } : {}),
    _createdAt: Number(row.created_at),
    _updatedAt: Number(row.updated_at),
    _version: row.version,
  };
}

/** An audit entry about the key (`proj/p:env/e:sdk-key/k`), with its representation but never its value. */
export function sdkKeyAudit(
  projectKey: string,
  environmentKey: string,
  row: SdkKeyRow,
  action: string,
  description: string,
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  return { kind: 'sdk-key', resource: `proj/${projectKey}:env/${environmentKey}:sdk-key/${row.key}`, action, name: sdkKeyDoc(row).name, description, projectKey, ...extra };
}

/** The representation the audit log keeps: everything but the credential. */
export function auditedSdkKey(projectKey: string, environmentKey: string, row: SdkKeyRow): Record<string, unknown> {
  const { value: _value, ...rest } = representSdkKey(projectKey, environmentKey, row);
  return rest;
}
