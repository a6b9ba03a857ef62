// The BigSegmentStoreIntegration and its collection (the only code that builds persistent store integration JSON), and
// the audit entry of each change to one. Secrets are masked in both, as audit log subscriptions' are.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { integrationAudit } from '../integrations/audit.js';
import { environmentIntegrationRep, type EnvironmentScope } from '../integrations/represent.js';
import { findStoreForm, storeDoc, storeStatus, syncedSinceLastError, type StoreIntegrationRow } from './model.js';

export const STORES_PATH = '/api/v2/integration-capabilities/big-segment-store';

/**
 * How long after its last sync a store still counts as available: the SDKs' own default `staleAfter` (120 s), past
 * which they report the store STALE. iterlab syncs on every change, so a quiet environment's store ages; the
 * periodic resync (sync.ts) keeps it within this.
 */
export const AVAILABLE_FOR_MS = 120_000;

export type StoreScope = EnvironmentScope;

function storePath(scope: StoreScope, integrationKey: string, id: string): string {
  return `${STORES_PATH}/${encodeURIComponent(scope.projectKey)}/${encodeURIComponent(scope.environmentKey)}/${encodeURIComponent(integrationKey)}/${encodeURIComponent(id)}`;
}

/** BigSegmentStoreStatus: available while on, synced since its last failure, and synced lately. */
function representStatus(row: StoreIntegrationRow, on: boolean, now: number): Record<string, unknown> {
  const status = storeStatus(row);
  const available = on && syncedSinceLastError(status) && now - status.lastSync! < AVAILABLE_FOR_MS;
  return {
    available,
    potentiallyStale: !available,
    ...(status.lastSync !== undefined ? { lastSync: status.lastSync } : {}),
    ...(status.lastError !== undefined ? { lastError: status.lastError } : {}),
    errors: status.errors,
  };
}

export function representStoreIntegration(row: StoreIntegrationRow, scope: StoreScope, now: number): Record<string, unknown> {
  const doc = storeDoc(row);
  return {
    ...environmentIntegrationRep(row, doc, scope, findStoreForm(row.integration_key), { self: storePath(scope, row.integration_key, row.id), parent: STORES_PATH }),
    _status: representStatus(row, doc.on, now),
  };
}

export function representStoreIntegrations(items: { row: StoreIntegrationRow; scope: StoreScope }[], now: number): Record<string, unknown> {
  return { _links: { self: link(STORES_PATH) }, items: items.map(({ row, scope }) => representStoreIntegration(row, scope, now)) };
}

/** The entry for `action` on the integration, with it before and after as shown (secrets masked). */
export function storeAudit(
  row: StoreIntegrationRow,
  scope: StoreScope,
  now: number,
  action: string,
  verb: string,
  versions: { before?: StoreIntegrationRow; after?: StoreIntegrationRow },
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  const { name } = storeDoc(row);
  const description = `${verb} the ${row.integration_key} big segment store integration ${name} of ${scope.projectKey}/${scope.environmentKey}`;
  return integrationAudit(row, { action, name, description, projectKey: scope.projectKey }, (shown) => representStoreIntegration(shown, scope, now), versions, extra);
}
