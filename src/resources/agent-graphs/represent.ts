// The AgentGraph and AgentGraphs representations, and the audit entry of each change to a graph: the only code that
// builds their JSON. LaunchDarkly's AgentGraph has no `_links`; the collection has.
import { pageLinks, type Page } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { graphDoc, type AgentGraphRow } from './model.js';

export const graphsPath = (projectKey: string) => `/api/v2/projects/${projectKey}/agent-graphs`;

/** A graph with its edges (getAgentGraph and the writes), or without (the list: "metadata only, without edge data"). */
export function representGraph(row: AgentGraphRow, maintainer: Record<string, unknown> | undefined, withEdges: boolean): Record<string, unknown> {
  const doc = graphDoc(row);
  return {
    key: row.key,
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    ...(maintainer ? { _maintainer: maintainer } : {}),
    ...(doc.rootConfigKey !== undefined ? { rootConfigKey: doc.rootConfigKey } : {}),
    ...(withEdges ? { edges: doc.edges } : {}),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function representGraphs(projectKey: string, page: Page, items: Record<string, unknown>[], totalCount: number, params: Record<string, string | undefined> = {}): Record<string, unknown> {
  return { _links: pageLinks(graphsPath(projectKey), page, totalCount, params), items, totalCount };
}

/** The resource specifier LaunchDarkly's roles name a graph by: `proj/p:agent-graph/key`. */
export function graphResource(projectKey: string, key: string): string {
  return `proj/${projectKey}:agent-graph/${key}`;
}

export function graphAudit(projectKey: string, row: AgentGraphRow, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  const name = graphDoc(row).name;
  return { kind: 'agent-graph', resource: graphResource(projectKey, row.key), action, name, description: `${verb} the agent graph ${name}`, projectKey, ...extra };
}
