// The PromptSnippet, PromptSnippets and SnippetReferences representations, and the audit entry of each change to a
// snippet: the only code that builds their JSON.
import { link, type Page } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import type { VariationReference } from '../ai-configs/references.js';
import { representVariationReferences } from '../ai-configs/represent.js';
import { snippetVersionDoc, type PromptSnippetRow, type PromptSnippetVersionRow } from './model.js';

export const snippetsPath = (projectKey: string) => `/api/v2/projects/${projectKey}/ai-configs/prompt-snippets`;
export const snippetPath = (projectKey: string, key: string) => `${snippetsPath(projectKey)}/${key}`;

/**
 * A snippet as one of its versions holds it (getPromptSnippet, the list and every write show the newest): `version`
 * is the version's number and `createdAt` when that version was made; `_maintainer` when the snippet has one.
 */
export function representSnippet(projectKey: string, snippet: PromptSnippetRow, version: PromptSnippetVersionRow, maintainer?: Record<string, unknown>): Record<string, unknown> {
  const doc = snippetVersionDoc(version);
  return {
    key: snippet.key,
    _links: { parent: link(snippetsPath(projectKey)), self: link(snippetPath(projectKey, snippet.key)) },
    ...(maintainer ? { _maintainer: maintainer } : {}),
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    text: doc.text,
    tags: doc.tags ?? [],
    version: version.version,
    createdAt: Number(version.created_at),
  };
}

/** SnippetReferences: one page of the variations that include the snippet, each with the version it pins. */
export function representSnippetReferences(projectKey: string, key: string, page: Page, references: readonly VariationReference[]): Record<string, unknown> {
  return representVariationReferences(`${snippetPath(projectKey, key)}/references`, key, 'prompt-snippet', 'resourceVersion', page, references);
}

/** The resource specifier LaunchDarkly's roles name a snippet by: `proj/p:prompt-snippet/key`. */
export function snippetResource(projectKey: string, key: string): string {
  return `proj/${projectKey}:prompt-snippet/${key}`;
}

export function snippetAudit(projectKey: string, key: string, name: string, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'prompt-snippet', resource: snippetResource(projectKey, key), action, name, description: `${verb} the prompt snippet ${name}`, projectKey, ...extra };
}
