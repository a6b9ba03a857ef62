// The RepositoryRep, BranchRep and Extinction representations, and the audit entry of a change to a repository.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { branchDoc, referencesOf, repositoryDoc, type BranchRow, type RepositoryRow } from './model.js';

export const REPOSITORIES_PATH = '/api/v2/code-refs/repositories';

export function repositoryPath(name: string): string {
  return `${REPOSITORIES_PATH}/${encodeURIComponent(name)}`;
}

/** A branch, with its references (those of `filter` only) when `withReferences`. */
export function representBranch(repoName: string, row: BranchRow, withReferences: boolean, filter: { projKey?: string; flagKey?: string } = {}): Record<string, unknown> {
  const doc = branchDoc(row);
  return {
    name: row.name,
    head: doc.head,
    ...(doc.updateSequenceId !== undefined ? { updateSequenceId: doc.updateSequenceId } : {}),
    syncTime: doc.syncTime,
    ...(withReferences ? { references: referencesOf(doc, filter) } : {}),
    _links: { self: link(`${repositoryPath(repoName)}/branches/${encodeURIComponent(row.name)}`) },
  };
}

/** A repository; `branches` shown when given (getRepositories' withBranches and withReferencesForDefaultBranch). */
export function representRepository(row: RepositoryRow, branches?: Record<string, unknown>[]): Record<string, unknown> {
  const doc = repositoryDoc(row);
  return {
    name: row.name,
    ...(doc.sourceLink !== undefined ? { sourceLink: doc.sourceLink } : {}),
    ...(doc.commitUrlTemplate !== undefined ? { commitUrlTemplate: doc.commitUrlTemplate } : {}),
    ...(doc.hunkUrlTemplate !== undefined ? { hunkUrlTemplate: doc.hunkUrlTemplate } : {}),
    type: doc.type,
    defaultBranch: doc.defaultBranch,
    enabled: doc.enabled,
    version: Number(row.version),
    ...(branches !== undefined ? { branches } : {}),
    _links: { self: link(repositoryPath(row.name)) },
  };
}

export function repositoryAudit(name: string, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'code-reference-repository', resource: `code-reference-repository/${name}`, action, name, description: `${verb} the code references repository ${name}`, ...extra };
}
