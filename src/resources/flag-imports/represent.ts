// FlagImportIntegration and its collection (the only code that builds flag import configuration JSON), and the audit
// entry of each change to one. Secrets are masked in both, as audit log subscriptions' are.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { integrationAudit } from '../integrations/audit.js';
import { maskSecrets } from '../integrations/config.js';
import { findImportForm, importDoc, importStatus, type ImportRow } from './model.js';

export const IMPORTS_PATH = '/api/v2/integration-capabilities/flag-import';

export function representImport(row: ImportRow, projectKey: string): Record<string, unknown> {
  const doc = importDoc(row);
  const status = importStatus(row);
  return {
    _links: {
      self: link(`${IMPORTS_PATH}/${encodeURIComponent(projectKey)}/${encodeURIComponent(row.integration_key)}/${encodeURIComponent(row.id)}`),
      parent: link(IMPORTS_PATH),
      project: link(`/api/v2/projects/${encodeURIComponent(projectKey)}`),
    },
    _id: row.id,
    integrationKey: row.integration_key,
    projectKey,
    config: maskSecrets(findImportForm(row.integration_key), doc.config),
    tags: doc.tags,
    name: doc.name,
    version: row.version,
    _status: {
      status: status.status,
      ...(status.lastImport !== undefined ? { lastImport: status.lastImport } : {}),
      ...(status.lastError !== undefined ? { lastError: status.lastError } : {}),
      errors: status.errors,
    },
  };
}

export function representImports(items: { row: ImportRow; projectKey: string }[]): Record<string, unknown> {
  return { _links: { self: link(IMPORTS_PATH) }, items: items.map(({ row, projectKey }) => representImport(row, projectKey)) };
}

/** The entry for `action` on the configuration, with it before and after as shown (secrets masked). */
export function importAudit(
  row: ImportRow,
  projectKey: string,
  action: string,
  verb: string,
  versions: { before?: ImportRow; after?: ImportRow },
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  const { name } = importDoc(row);
  const description = `${verb} the ${row.integration_key} flag import configuration ${name} of ${projectKey}`;
  return integrationAudit(row, { action, name, description, projectKey }, (shown) => representImport(shown, projectKey), versions, extra);
}
