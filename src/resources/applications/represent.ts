// The ApplicationRep and ApplicationVersionRep representations, and the audit entry of each change to either.
import { link, siteLink } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import type { ApplicationRow, ApplicationVersionRow, EvaluatedFlag } from './model.js';

export const APPLICATIONS_PATH = '/api/v2/applications';
export const applicationPath = (key: string) => `${APPLICATIONS_PATH}/${encodeURIComponent(key)}`;
export const versionsPath = (applicationKey: string) => `${applicationPath(applicationKey)}/versions`;

/** `flags` only when asked for (`expand=flags`): the flags the application's SDKs reported evaluating. */
export function representApplication(row: ApplicationRow, flags?: readonly EvaluatedFlag[]): Record<string, unknown> {
  return {
    ...(flags
      ? {
          flags: {
            items: flags.map((flag) => ({
              name: flag.name,
              key: flag.key,
              _links: { self: link(`/api/v2/flags/${flag.projectKey}/${flag.key}`) },
              _site: siteLink(`/${flag.projectKey}/~/features/${flag.key}`),
            })),
            totalCount: flags.length,
          },
        }
      : {}),
    _links: { self: link(applicationPath(row.key)), versions: link(versionsPath(row.key)) },
    _version: row.version,
    autoAdded: row.auto_added === 1,
    creationDate: Number(row.created_at),
    ...(row.description !== null ? { description: row.description } : {}),
    key: row.key,
    kind: row.kind,
    name: row.name,
  };
}

export function representApplicationVersion(row: ApplicationVersionRow): Record<string, unknown> {
  return {
    _links: { parent: link(applicationPath(row.application_key)) },
    _version: row.version,
    autoAdded: row.auto_added === 1,
    creationDate: Number(row.created_at),
    key: row.key,
    name: row.name,
    supported: row.supported === 1,
  };
}

export function applicationAudit(row: ApplicationRow, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'application', resource: `application/${row.key}`, action, name: row.name, description: `${verb} the application ${row.name}`, ...extra };
}

export function applicationVersionAudit(row: ApplicationVersionRow, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    kind: 'application',
    resource: `application/${row.application_key}`,
    action,
    name: row.name,
    description: `${verb} the version ${row.name} of the application ${row.application_key}`,
    ...extra,
  };
}
