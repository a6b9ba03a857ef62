// The PromptSnippet representation and the audit entry of a snippet's creation: the only code that builds their JSON.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { snippetDoc, type PromptSnippetRow } from './model.js';

export const snippetsPath = (projectKey: string) => `/api/v2/projects/${projectKey}/ai-configs/prompt-snippets`;

export function representSnippet(projectKey: string, row: PromptSnippetRow): Record<string, unknown> {
  const doc = snippetDoc(row);
  return {
    key: row.key,
    _links: { parent: link(snippetsPath(projectKey)), self: link(`${snippetsPath(projectKey)}/${row.key}`) },
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    text: doc.text,
    version: row.version,
    createdAt: Number(row.created_at),
  };
}

/** The resource specifier LaunchDarkly's roles name a snippet by: `proj/p:prompt-snippet/key`. */
export function snippetResource(projectKey: string, key: string): string {
  return `proj/${projectKey}:prompt-snippet/${key}`;
}

export function snippetAudit(projectKey: string, row: PromptSnippetRow, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  const name = snippetDoc(row).name;
  return { kind: 'prompt-snippet', resource: snippetResource(projectKey, row.key), action, name, description: `${verb} the prompt snippet ${name}`, projectKey, ...extra };
}
