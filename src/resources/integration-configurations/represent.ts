// IntegrationConfigurationsRep and its collection (the only code that builds integration configuration JSON), and the
// audit entry of each change to one. Secrets are masked in both, as audit log subscriptions' are.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { integrationAudit } from '../integrations/audit.js';
import { maskSecrets } from '../integrations/config.js';
import { configurationDoc, findConfigurableIntegration, type ConfigurationRow } from './model.js';

export const CONFIGURATIONS_PATH = '/api/v2/integration-configurations';

export function keyPath(integrationKey: string): string {
  return `${CONFIGURATIONS_PATH}/keys/${encodeURIComponent(integrationKey)}`;
}

export function representConfiguration(row: ConfigurationRow): Record<string, unknown> {
  const doc = configurationDoc(row);
  const { form } = findConfigurableIntegration(row.integration_key);
  return {
    _links: { self: link(`${CONFIGURATIONS_PATH}/${encodeURIComponent(row.id)}`), parent: link(keyPath(row.integration_key)) },
    _id: row.id,
    name: doc.name,
    _createdAt: row.created_at,
    _integrationKey: row.integration_key,
    tags: doc.tags,
    enabled: doc.enabled,
    configValues: maskSecrets(form, doc.configValues),
    ...(doc.capabilityConfig ? { capabilityConfig: doc.capabilityConfig } : {}),
    // 2026-07: the member who created it. The spec's Snowflake and Redshift setup members are for setup endpoints'
    // answers, which no integration configuration operation here is: never shown.
    ...(doc.maintainerId !== undefined ? { _maintainerId: doc.maintainerId } : {}),
  };
}

export function representConfigurations(integrationKey: string, rows: readonly ConfigurationRow[]): Record<string, unknown> {
  return { _links: { self: link(keyPath(integrationKey)) }, items: rows.map(representConfiguration) };
}

/** The entry for `action` on the configuration, with it before and after as shown (secrets masked). */
export function configurationAudit(
  row: ConfigurationRow,
  action: string,
  verb: string,
  versions: { before?: ConfigurationRow; after?: ConfigurationRow },
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  const { name } = configurationDoc(row);
  const description = `${verb} the ${row.integration_key} integration configuration ${name}`;
  return integrationAudit(row, { action, name, description }, representConfiguration, versions, extra);
}
