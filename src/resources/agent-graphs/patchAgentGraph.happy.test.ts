// Updating an agent graph (beta): the members sent replace the graph's; rootConfigKey and edges together replace the
// topology whole; "" removes the maintainer; updatedAt moves only when something changed, and only then is the
// change audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAIConfigs } from '../../../test/support/aiLibrary.js';
import { changedBy } from '../../../test/support/digest.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchAgentGraph', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 1, 2);
  const graph = '/api/v2/projects/shop/agent-graphs/escalation';
  const edges = [
    { key: 'l1-to-l2', sourceConfig: 'l1-support', targetConfig: 'l2-support' },
    { key: 'l2-to-human', sourceConfig: 'l2-support', targetConfig: 'human-handoff', handoff: { notify: 'pager' } },
  ];
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    await postAIConfigs(s.post, 'shop', ['l1-support', 'l2-support', 'human-handoff', 'triage']);
    const made = await s.post('/api/v2/projects/shop/agent-graphs', { key: 'escalation', name: 'Escalation', description: 'L1 to L2 to a human', rootConfigKey: 'l1-support', edges }, BETA);
    expect(made.status).toBe(201);
  });
  afterAll(() => s.close());

  it('name and description change; the topology and createdAt stay; updatedAt moves', async () => {
    clock += 60_000;
    const res = await s.patch(graph, { name: 'Escalation chain', description: 'Tiered support' }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ key: 'escalation', name: 'Escalation chain', description: 'Tiered support', rootConfigKey: 'l1-support', edges, createdAt: Date.UTC(2026, 1, 2), updatedAt: clock });
    expect((await s.get(graph, BETA)).body).toEqual(res.body);
  });

  it('rootConfigKey and edges replace the topology whole', async () => {
    clock += 60_000;
    const next = [{ key: 'triage-to-l2', sourceConfig: 'triage', targetConfig: 'l2-support', handoff: { route: 'hard' } }];
    const res = await s.patch(graph, { rootConfigKey: 'triage', edges: next }, BETA);
    expect(res.body).toMatchObject({ name: 'Escalation chain', rootConfigKey: 'triage', edges: next, updatedAt: clock });
    const emptied = await s.patch(graph, { rootConfigKey: 'triage', edges: [] }, BETA);
    expect(emptied.body.edges).toEqual([]);
  });

  it('"" removes the maintainer; a team maintains it instead', async () => {
    expect((await s.get(graph, BETA)).body._maintainer).toMatchObject({ kind: 'member' });
    const none = await s.patch(graph, { maintainerId: '' }, BETA);
    expect(none.body._maintainer).toBeUndefined();
    expect((await s.post('/api/v2/teams', { key: 'support', name: 'Support' })).status).toBe(201);
    expect((await s.patch(graph, { maintainerTeamKey: 'support' }, BETA)).body._maintainer).toEqual({ kind: 'team', key: 'support', name: 'Support' });
  });

  it('a body that changes nothing answers the graph and writes nothing', async () => {
    const current = (await s.get(graph, BETA)).body;
    clock += 60_000;
    let body: unknown;
    expect(await changedBy(s.store, async () => (body = (await s.patch(graph, { name: current.name, rootConfigKey: current.rootConfigKey, edges: current.edges }, BETA)).body))).toBe(false);
    expect(body).toEqual(current);
  });

  it('each change is audited as updateAgentGraph with the body, before and after', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:agent-graph/escalation')).body.items;
    // Created, renamed, two new topologies, two maintainer changes.
    expect(entries).toHaveLength(6);
    const renamed = (await s.get(`/api/v2/auditlog/${entries[entries.length - 2]._id}`)).body;
    expect(renamed).toMatchObject({ kind: 'agent-graph', title: expect.stringContaining('updated the agent graph Escalation chain') });
    expect(renamed.delta).toEqual({ name: 'Escalation chain', description: 'Tiered support' });
    expect(renamed.previousVersion).toMatchObject({ name: 'Escalation' });
    expect(renamed.currentVersion).toMatchObject({ name: 'Escalation chain' });
  });
});
