// Every error a client can cause on the agent graph routes (beta): exact status, code and a message naming the field
// or what is missing; nothing written by a request that fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAIConfigs } from '../../../test/support/aiLibrary.js';
import { expectRefused } from '../../../test/support/digest.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('agent graphs: errors', () => {
  let s: TestServer;
  const graphs = '/api/v2/projects/shop/agent-graphs';
  const graph = `${graphs}/flow`;
  const edge = (key: string, sourceConfig = 'a', targetConfig = 'b') => ({ key, sourceConfig, targetConfig });
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    await postAIConfigs(s.post, 'shop', ['a', 'b', 'c']);
    expect((await s.post(graphs, { key: 'flow', name: 'Flow', rootConfigKey: 'a', edges: [edge('a-b')] }, BETA)).status).toBe(201);
  });
  afterAll(() => s.close());

  const refused = (send: () => Promise<Response>, status: number, code: string, message: string | RegExp) => expectRefused(s.store, send, status, code, message);
  const post = (body: unknown) => () => s.post(graphs, body, BETA);
  const patch = (body: unknown) => () => s.patch(graph, body, BETA);

  it('without LD-API-Version: beta, 403 on every route', async () => {
    for (const send of [() => s.get(graphs), () => s.post(graphs, { key: 'k', name: 'N' }), () => s.get(graph), () => s.patch(graph, { name: 'N' }), () => s.del(graph)]) {
      await refused(send, 403, 'forbidden', /LD-API-Version: beta/);
    }
  });

  it('a graph without key or name, or with members of the wrong type, 400 naming each', async () => {
    await refused(post({ name: 'N' }), 400, 'invalid_request', 'key: must be present');
    await refused(post({ key: 'k' }), 400, 'invalid_request', 'name: must be present');
    await refused(post({ key: 'k', name: '' }), 400, 'invalid_request', 'name: must not be empty');
    await refused(post({ key: 'k k', name: 'N' }), 400, 'invalid_request', /^key: must start with a letter or digit/);
    await refused(post({ key: 'k', name: 'N', description: 1 }), 400, 'invalid_request', 'description: must be a string');
    await refused(post({ key: 'k', name: 'N', rootConfigKey: 'a', edges: {} }), 400, 'invalid_request', 'edges: must be an array');
    await refused(post({ key: 'k', name: 'N', rootConfigKey: 'a', edges: [{ key: 'e', sourceConfig: 'a' }] }), 400, 'invalid_request', 'edges[0].targetConfig: must be present');
    await refused(post({ key: 'k', name: 'N', rootConfigKey: 'a', edges: [{ ...edge('e'), handoff: '{}' }] }), 400, 'invalid_request', 'edges[0].handoff: must be an object');
    await refused(post({ key: 'k', name: 'N', rootConfigKey: 'a', edges: [edge('e', 'a', 'not a key')] }), 400, 'invalid_request', /^edges\[0\]\.targetConfig: must start with a letter or digit/);
    await refused(post({ key: 'k', name: 'N', rootConfigKey: '', edges: [] }), 400, 'invalid_request', /^rootConfigKey: must not be empty/);
    const tooMany = Array.from({ length: 1001 }, (_, i) => edge(`e${i}`));
    await refused(post({ key: 'k', name: 'N', rootConfigKey: 'a', edges: tooMany }), 400, 'invalid_request', 'edges: must have at most 1000 items');
    await refused(post([]), 400, 'invalid_request', /body/);
  });

  it('rootConfigKey without edges, or edges without rootConfigKey, 400 naming the one missing', async () => {
    await refused(post({ key: 'k', name: 'N', rootConfigKey: 'a' }), 400, 'invalid_request', 'edges: must be present with rootConfigKey: the two are set together ([] for a graph of the root alone)');
    await refused(post({ key: 'k', name: 'N', edges: [edge('e')] }), 400, 'invalid_request', 'rootConfigKey: must be present with edges: the two are set together');
    await refused(patch({ rootConfigKey: 'b' }), 400, 'invalid_request', /^edges: must be present with rootConfigKey/);
    await refused(patch({ edges: [] }), 400, 'invalid_request', /^rootConfigKey: must be present with edges/);
  });

  it('two edges with one key, 400 naming the second', async () => {
    await refused(post({ key: 'k', name: 'N', rootConfigKey: 'a', edges: [edge('e'), edge('f', 'b', 'c'), edge('e', 'c', 'a')] }), 400, 'invalid_request', 'edges[2].key: "e" is already the key of edges[0]: each edge of a graph has its own key');
    await refused(patch({ rootConfigKey: 'a', edges: [edge('x'), edge('x')] }), 400, 'invalid_request', /^edges\[1\]\.key: "x" is already the key of edges\[0\]/);
  });

  it('an AI Config the project does not have, 400 naming each missing key once, at its first place', async () => {
    expect((await s.post('/api/v2/projects', { key: 'elsewhere', name: 'Elsewhere' })).status).toBe(201);
    await postAIConfigs(s.post, 'elsewhere', ['far']);
    await refused(post({ key: 'k', name: 'N', rootConfigKey: 'far', edges: [] }), 400, 'invalid_request', 'rootConfigKey: "far" is not an AI Config of this project');
    await refused(
      post({ key: 'k', name: 'N', rootConfigKey: 'a', edges: [edge('e', 'a', 'ghost'), edge('f', 'ghost', 'b'), edge('g', 'b', 'spectre')] }),
      400,
      'invalid_request',
      'edges[0].targetConfig: "ghost" is not an AI Config of this project; edges[2].targetConfig: "spectre" is not an AI Config of this project',
    );
    await refused(patch({ rootConfigKey: 'nope', edges: [] }), 400, 'invalid_request', 'rootConfigKey: "nope" is not an AI Config of this project');
  });

  it('a maintainer that does not exist, or two at once, 400 naming the field', async () => {
    expect((await s.post('/api/v2/teams', { key: 'team', name: 'Team' })).status).toBe(201);
    const me = (await s.get('/api/v2/members/me')).body._id;
    await refused(post({ key: 'k', name: 'N', maintainerId: 'nobody' }), 400, 'invalid_request', 'maintainerId: no member has the ID "nobody"');
    await refused(post({ key: 'k', name: 'N', maintainerTeamKey: 'nobody' }), 400, 'invalid_request', 'maintainerTeamKey: no team has the key "nobody"');
    await refused(patch({ maintainerId: me, maintainerTeamKey: 'team' }), 400, 'invalid_request', /^maintainerTeamKey: give maintainerId or maintainerTeamKey, not both/);
  });

  it('an update with members of the wrong type, 400 naming each; nothing written', async () => {
    await refused(patch({ name: '' }), 400, 'invalid_request', 'name: must not be empty');
    await refused(patch({ name: null }), 400, 'invalid_request', 'name: must be a string');
    await refused(patch({ rootConfigKey: 'a', edges: [{ key: 'e', targetConfig: 'b' }] }), 400, 'invalid_request', 'edges[0].sourceConfig: must be present');
    await refused(patch([{ op: 'replace', path: '/name', value: 'x' }]), 400, 'invalid_request', /must be an object/);
    expect((await s.get(graph, BETA)).body).toMatchObject({ name: 'Flow', rootConfigKey: 'a', edges: [edge('a-b')] });
  });

  it('a key the project already has, 409 naming it', async () => {
    await refused(post({ key: 'flow', name: 'Again' }), 409, 'conflict', 'An agent graph with the key "flow" already exists in project "shop"');
  });

  it('an unknown project or graph, 404 naming it', async () => {
    await refused(() => s.post('/api/v2/projects/nope/agent-graphs', { key: 'k', name: 'N' }, BETA), 404, 'not_found', 'Project "nope" not found');
    await refused(() => s.get('/api/v2/projects/nope/agent-graphs', BETA), 404, 'not_found', 'Project "nope" not found');
    await refused(() => s.get(`${graphs}/nope`, BETA), 404, 'not_found', 'Agent graph "nope" not found');
    await refused(() => s.patch(`${graphs}/nope`, { name: 'N' }, BETA), 404, 'not_found', 'Agent graph "nope" not found');
    await refused(() => s.del(`${graphs}/nope`, BETA), 404, 'not_found', 'Agent graph "nope" not found');
  });

  it('a page the list does not take, 400 naming it', async () => {
    await refused(() => s.get(`${graphs}?limit=0`, BETA), 400, 'invalid_request', 'limit: must be >= 1');
    await refused(() => s.get(`${graphs}?offset=x`, BETA), 400, 'invalid_request', 'offset: must be an integer');
  });
});
