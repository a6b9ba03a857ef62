// AI tools, prompt snippets and agent graphs as real clients drive them, over real HTTP. launchdarkly-api-typescript
// (17.2.0) has none of these operations: its AIConfigsBetaApi covers the AI Configs, variations and model configs
// only (the first test pins that, so that a client that gains them is used here instead). The rest is sent as
// LaunchDarkly's own guides send it with curl: the tools quick start's JSON Schema tool, OpenAI's function-calling
// form, the agent-graph skill's triage graph and the classroom tutorial's graph, a prompt snippet keyed from its name
// (its whole life, as the snippets skill drives it, included in a prompt as LaunchDarkly's tutorial writes it), and the
// 2026-07 spec's references and quick stats.
import { AIConfigsBetaApi } from 'launchdarkly-api-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphNodes, postAIConfigs, SEARCH_TOOL, TRIAGE_GRAPH } from './support/aiLibrary.js';
import { startServer, type TestServer } from './support/server.js';

describe('the AI library over HTTP, as LaunchDarkly’s guides call it', () => {
  let s: TestServer;
  const api = (path: string, init: { method?: string; body?: unknown; beta?: boolean } = {}) =>
    fetch(`${s.url}/api/v2${path}`, {
      method: init.method ?? 'GET',
      // As the guides' curl commands: Content-Type only with a body.
      headers: { Authorization: s.tokens.writer, ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(init.beta ? { 'LD-API-Version': 'beta' } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }).then(async (res): Promise<{ status: number; body: any }> => ({ status: res.status, body: res.status === 204 ? undefined : await res.json() }));
  beforeAll(async () => {
    s = await startServer({ listen: true });
    expect((await s.post('/api/v2/projects', { key: 'support-bot', name: 'Support bot' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('the generated client has no operation of this area yet', () => {
    const operations = Object.getOwnPropertyNames(AIConfigsBetaApi.prototype);
    expect(operations).toContain('postAIConfig');
    const area = [
      ...['listAITools', 'postAITool', 'getAITool', 'patchAITool', 'deleteAITool', 'listAIToolVersions', 'listAIToolReferences'],
      ...['listPromptSnippets', 'postPromptSnippet', 'getPromptSnippet', 'patchPromptSnippet', 'deletePromptSnippet', 'listPromptSnippetVersions', 'listPromptSnippetReferences'],
      ...['listAgentGraphs', 'postAgentGraph', 'getAgentGraph', 'patchAgentGraph', 'deleteAgentGraph', 'getAIConfigQuickStats'],
    ];
    for (const operation of area) {
      expect(operations).not.toContain(operation);
    }
  });

  it("the tools quick start: create, get, list, update (a new version), the versions, delete", async () => {
    const body = SEARCH_TOOL;
    const created = await api('/projects/support-bot/ai-tools', { method: 'POST', body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, version: 1 });
    expect((await api('/projects/support-bot/ai-tools/search-database')).body).toEqual(created.body);
    expect((await api('/projects/support-bot/ai-tools')).body).toMatchObject({ items: [created.body], totalCount: 1 });

    // What a variation would pin: {"key": "search-database", "version": 1}. An edit makes version 2; 1 stays.
    const edited = await api('/projects/support-bot/ai-tools/search-database', { method: 'PATCH', body: { description: 'Search customers by name or email', customParameters: { index: 'customers' } } });
    expect(edited.body).toMatchObject({ version: 2, description: 'Search customers by name or email', customParameters: { index: 'customers' } });
    const versions = await api('/projects/support-bot/ai-tools/search-database/versions');
    expect(versions.body.items.map((v: { version: number; description: string }) => [v.version, v.description])).toEqual([
      [1, 'Search the customer database'],
      [2, 'Search customers by name or email'],
    ]);

    const openAi = { key: 'get_weather', description: 'Get the weather', schema: { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } } };
    expect((await api('/projects/support-bot/ai-tools', { method: 'POST', body: openAi })).body).toMatchObject(openAi);

    expect((await api('/projects/support-bot/ai-tools/search-database', { method: 'DELETE' })).status).toBe(204);
    expect(await api('/projects/support-bot/ai-tools/search-database')).toEqual({ status: 404, body: { code: 'not_found', message: 'AI tool "search-database" not found' } });
  });

  it('a prompt snippet keyed from its name, as the UI keys it', async () => {
    const res = await api('/projects/support-bot/ai-configs/prompt-snippets', { method: 'POST', body: { key: 'product-catalog', name: 'Product catalog', text: 'We sell hats, scarves and gloves.' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: 'product-catalog', name: 'Product catalog', text: 'We sell hats, scarves and gloves.', version: 1 });
    expect((await api('/projects/support-bot/ai-configs/prompt-snippets', { method: 'POST', body: { key: 'product-catalog', name: 'Again', text: 'x' } })).status).toBe(409);
  });

  it('the snippets skill: create with tags, get, list, update (a new version), the versions, the references, delete', async () => {
    const snippets = '/projects/support-bot/ai-configs/prompt-snippets';
    const body = { key: 'support-persona', name: 'Customer Support Persona', text: 'You are a friendly support agent for Acme Corp.', description: 'Standard persona', tags: ['persona', 'support'] };
    const created = await api(snippets, { method: 'POST', body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, version: 1 });
    expect((await api(`${snippets}/support-persona`)).body).toEqual(created.body);
    expect((await api(`${snippets}?filter=${encodeURIComponent('tags anyOf ["persona"]')}`)).body).toMatchObject({ items: [created.body], totalCount: 1 });
    const updated = await api(`${snippets}/support-persona`, { method: 'PATCH', body: { text: 'You are a friendly, concise support agent for Acme Corp.' } });
    expect(updated.body).toMatchObject({ version: 2, tags: ['persona', 'support'] });
    expect((await api(`${snippets}/support-persona/versions`)).body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    // LaunchDarkly's tutorial includes a snippet in a judge's prompt as {{snippet.product-catalog#1}}.
    const judge = { key: 'claim-judge', name: 'Claim judge', mode: 'judge', defaultVariation: { key: 'v1', name: 'V1', messages: [{ role: 'system', content: 'The catalog is the only source of truth:\n\n{{snippet.product-catalog#1}}' }] } };
    expect((await api('/projects/support-bot/ai-configs', { method: 'POST', body: judge })).status).toBe(201);
    const references = await api(`${snippets}/product-catalog/references`);
    expect(references.body).toMatchObject({ resourceKey: 'product-catalog', totalCount: 1, items: [{ aiConfigKey: 'claim-judge', aiConfigName: 'Claim judge', variationKey: 'v1', variationName: 'V1', resourceVersion: 1 }] });

    expect((await api(`${snippets}/support-persona`, { method: 'DELETE' })).status).toBe(204);
    expect(await api(`${snippets}/support-persona`)).toEqual({ status: 404, body: { code: 'not_found', message: 'Prompt snippet "support-persona" not found' } });
  });

  it("a tool's references and the project's quick stats", async () => {
    expect((await api('/projects/support-bot/ai-tools', { method: 'POST', body: { key: 'lookup-order', schema: { type: 'object' } } })).status).toBe(201);
    const agent = { key: 'order-agent', name: 'Order agent', mode: 'agent', defaultVariation: { key: 'v1', name: 'V1', instructions: 'Find the order.', tools: [{ key: 'lookup-order', version: 1 }] } };
    expect((await api('/projects/support-bot/ai-configs', { method: 'POST', body: agent })).status).toBe(201);
    expect((await api('/projects/support-bot/ai-tools/lookup-order/references')).body).toMatchObject({ resourceKey: 'lookup-order', items: [{ aiConfigKey: 'order-agent', toolVersion: 1 }], totalCount: 1 });
    expect(await api('/projects/support-bot/ai-configs/quick-stats?env=production')).toEqual({ status: 200, body: { activeConfigs: 0, activeExperiments: 0, averageSatisfaction7D: null, spendMonthToDate: null } });
  });

  it('agent graphs with LD-API-Version: beta: the triage graph, its update, the list, delete', async () => {
    const triage = TRIAGE_GRAPH;
    expect((await api('/projects/support-bot/agent-graphs', { method: 'POST', body: triage })).status).toBe(403);
    // The skill creates the graph's AI Configs first: a graph naming one the project lacks is refused.
    const missing = await api('/projects/support-bot/agent-graphs', { method: 'POST', body: triage, beta: true });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      code: 'invalid_request',
      message: 'rootConfigKey: "triage-agent" is not an AI Config of this project; edges[0].targetConfig: "billing-specialist" is not an AI Config of this project; edges[1].targetConfig: "technical-specialist" is not an AI Config of this project',
    });
    await postAIConfigs((path, body) => api(path.replace('/api/v2', ''), { method: 'POST', body }), 'support-bot', [...graphNodes(triage), 'human-handoff']);
    const created = await api('/projects/support-bot/agent-graphs', { method: 'POST', body: triage, beta: true });
    expect(created.status).toBe(201);
    // What the tutorial's script prints of the answer: jq '{key, name, rootConfigKey, edges: [.edges[]? | {key, sourceConfig, targetConfig}]}'.
    expect({ key: created.body.key, name: created.body.name, rootConfigKey: created.body.rootConfigKey, edges: created.body.edges.map(({ key, sourceConfig, targetConfig }: typeof triage.edges[number]) => ({ key, sourceConfig, targetConfig })) }).toEqual({
      key: 'support-triage-graph',
      name: 'Customer Support Triage',
      rootConfigKey: 'triage-agent',
      edges: triage.edges.map(({ handoff: _handoff, ...edge }) => edge),
    });
    // The tutorial checks for the graph before creating it: 200 once it exists.
    expect((await api('/projects/support-bot/agent-graphs/support-triage-graph', { beta: true })).status).toBe(200);

    // update-agent-graph: the complete new edge list, with the root.
    const escalate = { key: 'technical-to-human', sourceConfig: 'technical-specialist', targetConfig: 'human-handoff' };
    const updated = await api('/projects/support-bot/agent-graphs/support-triage-graph', { method: 'PATCH', body: { rootConfigKey: 'triage-agent', edges: [...triage.edges, escalate] }, beta: true });
    expect(updated.status).toBe(200);
    expect(updated.body.edges).toEqual([...triage.edges, escalate]);

    const list = await api('/projects/support-bot/agent-graphs', { beta: true });
    expect(list.body.totalCount).toBe(1);
    expect(list.body.items[0]).toMatchObject({ key: 'support-triage-graph', rootConfigKey: 'triage-agent' });
    expect(list.body.items[0].edges).toBeUndefined();

    expect((await api('/projects/support-bot/agent-graphs/support-triage-graph', { method: 'DELETE', beta: true })).status).toBe(204);
    expect((await api('/projects/support-bot/agent-graphs/support-triage-graph', { beta: true })).status).toBe(404);
  });
});
