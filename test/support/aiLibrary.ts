// Bodies LaunchDarkly's own guides send to the AI library's routes, shared by the suites that replay them.

/** The tools quick start's tool: a JSON Schema of the arguments an LLM fills in. */
export const SEARCH_TOOL = {
  key: 'search-database',
  description: 'Search the customer database',
  schema: { type: 'object', properties: { query: { type: 'string', description: 'Search query' }, limit: { type: 'integer', description: 'Max results to return' } }, required: ['query'] },
};

/** The agent-graphs skill's example: a triage agent handing off to two specialists. */
export const TRIAGE_GRAPH = {
  key: 'support-triage-graph',
  name: 'Customer Support Triage',
  description: 'Routes customer queries to the appropriate specialist agent',
  rootConfigKey: 'triage-agent',
  edges: [
    { key: 'triage-to-billing', sourceConfig: 'triage-agent', targetConfig: 'billing-specialist', handoff: { category: 'billing', priority: 'normal' } },
    { key: 'triage-to-technical', sourceConfig: 'triage-agent', targetConfig: 'technical-specialist', handoff: { category: 'technical', priority: 'normal' } },
  ],
};

/** Posts an AI Config of each key (named after it) to the project, so that agent graphs may name them as nodes. */
export async function postAIConfigs(post: (path: string, body: unknown) => Promise<{ status: number }>, projectKey: string, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const res = await post(`/api/v2/projects/${projectKey}/ai-configs`, { key, name: key });
    if (res.status !== 201) throw new Error(`posting AI Config "${key}": ${res.status}`);
  }
}

/** Every AI Config a graph body names: its root and its edges' ends. */
export function graphNodes(graph: { rootConfigKey?: string; edges?: readonly { sourceConfig: string; targetConfig: string }[] }): string[] {
  const keys = new Set<string>(graph.rootConfigKey !== undefined ? [graph.rootConfigKey] : []);
  for (const edge of graph.edges ?? []) keys.add(edge.sourceConfig).add(edge.targetConfig);
  return [...keys];
}
