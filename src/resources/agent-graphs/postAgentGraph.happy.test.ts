// Creating agent graphs (beta) as LaunchDarkly's guides send them: 201 with the AgentGraph, edges in the order sent
// with their handoff options, the caller as maintainer unless a member or team is named; a graph with metadata only;
// read back the same; audited in the same write. The AI Configs a graph names are the project's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphNodes, postAIConfigs, TRIAGE_GRAPH } from '../../../test/support/aiLibrary.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postAgentGraph, getAgentGraph', () => {
  let s: TestServer;
  const graphs = '/api/v2/projects/shop/agent-graphs';
  const now = Date.UTC(2026, 1, 2);
  beforeAll(async () => {
    s = await startServer({ now: () => now });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    await postAIConfigs(s.post, 'shop', [...graphNodes(TRIAGE_GRAPH), 'assess', 'report', 'questions', 'finalize', 'only-agent']);
  });
  afterAll(() => s.close());

  const triage = TRIAGE_GRAPH;

  it('201 with the graph and its edges, maintained by the caller; read back the same', async () => {
    const me = (await s.get('/api/v2/members/me')).body;
    const res = await s.post(graphs, triage, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      key: 'support-triage-graph',
      name: 'Customer Support Triage',
      description: 'Routes customer queries to the appropriate specialist agent',
      _maintainer: { kind: 'member', _id: me._id, email: me.email, firstName: me.firstName, lastName: me.lastName, role: me.role },
      rootConfigKey: 'triage-agent',
      edges: triage.edges,
      createdAt: now,
      updatedAt: now,
    });
    expect((await s.get(`${graphs}/support-triage-graph`, BETA)).body).toEqual(res.body);
  });

  it('a pipeline with a join and a cycle, edges without handoff, a team as maintainer', async () => {
    expect((await s.post('/api/v2/teams', { key: 'agents', name: 'Agents team' })).status).toBe(201);
    // The shape of LaunchDarkly's classroom tutorial: assess → specialists → finalize, plus a retry loop.
    const edges = [
      { key: 'to-report', sourceConfig: 'assess', targetConfig: 'report' },
      { key: 'to-questions', sourceConfig: 'assess', targetConfig: 'questions' },
      { key: 'report-to-finalize', sourceConfig: 'report', targetConfig: 'finalize' },
      { key: 'questions-to-finalize', sourceConfig: 'questions', targetConfig: 'finalize' },
      { key: 'retry', sourceConfig: 'finalize', targetConfig: 'assess', handoff: { route: 'retry', maxHops: 3 } },
    ];
    const res = await s.post(graphs, { key: 'equity-briefing-graph', name: 'Equity briefing', rootConfigKey: 'assess', edges, maintainerTeamKey: 'agents' }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ rootConfigKey: 'assess', edges, _maintainer: { kind: 'team', key: 'agents', name: 'Agents team' } });
    expect(res.body.description).toBeUndefined();
  });

  it('a graph of the root alone, and a graph with metadata only', async () => {
    const alone = await s.post(graphs, { key: 'solo', name: 'Solo', rootConfigKey: 'only-agent', edges: [] }, BETA);
    expect(alone.status).toBe(201);
    expect(alone.body).toMatchObject({ rootConfigKey: 'only-agent', edges: [] });
    const metadata = await s.post(graphs, { key: 'draft', name: 'Draft', maintainerId: '' }, BETA);
    expect(metadata.status).toBe(201);
    expect(metadata.body).toEqual({ key: 'draft', name: 'Draft', edges: [], createdAt: now, updatedAt: now });
  });

  it('audited as createAgentGraph on proj/p:agent-graph/key', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:agent-graph/support-triage-graph')).body.items;
    expect(entries).toHaveLength(1);
    const entry = (await s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(entry).toMatchObject({ kind: 'agent-graph', name: 'Customer Support Triage', title: expect.stringContaining('created the agent graph Customer Support Triage') });
    expect(entry.currentVersion).toMatchObject({ key: 'support-triage-graph', edges: triage.edges });
  });
});
