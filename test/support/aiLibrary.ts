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
