// The AITool, AITools and ToolReferences representations, and the audit entry of each change to a tool: the only
// code that builds their JSON.
import { link, type Page } from '../../http/links.js';
import type { VariationReference } from '../ai-configs/references.js';
import { representVariationReferences } from '../ai-configs/represent.js';
import type { AuditEntry } from '../audit-log/record.js';
import { toolDoc, versionDoc, type AIToolRow, type AIToolVersionRow } from './model.js';

export const toolsPath = (projectKey: string) => `/api/v2/projects/${projectKey}/ai-tools`;
export const toolPath = (projectKey: string, key: string) => `${toolsPath(projectKey)}/${key}`;

/**
 * A tool as one of its versions defines it (getAITool and the list show the newest): `version` is the version's
 * number and `createdAt` when that version was made; `_maintainer` when the tool has one; `tags` (the tool's) once set.
 */
export function representTool(projectKey: string, tool: AIToolRow, version: AIToolVersionRow, maintainer?: Record<string, unknown>): Record<string, unknown> {
  const doc = versionDoc(version);
  const tags = toolDoc(tool).tags;
  return {
    key: tool.key,
    _links: { parent: link(toolsPath(projectKey)), self: link(toolPath(projectKey, tool.key)) },
    ...(maintainer ? { _maintainer: maintainer } : {}),
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    schema: doc.schema,
    ...(doc.customParameters !== undefined ? { customParameters: doc.customParameters } : {}),
    version: version.version,
    createdAt: Number(version.created_at),
    ...(tags !== undefined ? { tags } : {}),
  };
}

/** ToolReferences: one page of the variations that pin the tool, each with the version it pins. */
export function representToolReferences(projectKey: string, key: string, page: Page, references: readonly VariationReference[]): Record<string, unknown> {
  return representVariationReferences(`${toolPath(projectKey, key)}/references`, key, 'ai-tool', 'toolVersion', page, references);
}

/** The resource specifier LaunchDarkly's roles name a tool by: `proj/p:ai-tool/key`. */
export function toolResource(projectKey: string, key: string): string {
  return `proj/${projectKey}:ai-tool/${key}`;
}

export function toolAudit(projectKey: string, key: string, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'ai-tool', resource: toolResource(projectKey, key), action, name: key, description: `${verb} the AI tool ${key}`, projectKey, ...extra };
}
