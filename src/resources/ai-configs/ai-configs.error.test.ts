// Bad input to the AI Config operations: a 400 naming the field and its problem, a 404 naming what is missing, a 409
// for a key taken; never a partial write. And the flags API kept off what an AI Config owns of its flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unchangedBy, expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const SEMANTIC_PATCH = { 'Content-Type': 'application/json; domain-model=launchdarkly.semanticpatch' };

describe('AI Configs: errors', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs';
  let ids: Record<string, string>;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'plain-flag', name: 'Plain' })).status).toBe(201);
    expect((await s.post(url, { key: 'chat', name: 'Chat', defaultVariation: { key: 'v', name: 'V', messages: [{ role: 'system', content: 'hi' }] } })).status).toBe(201);
    expect((await s.post(url, { key: 'agent', name: 'Agent', mode: 'agent' })).status).toBe(201);
    ids = Object.fromEntries((await s.get(`${url}/chat/targeting`)).body.variations.map((v: { _id: string; name: string }) => [v.name, v._id]));
    const served = await s.patch(`${url}/chat/targeting`, { environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', variationId: ids.V }] }, { headers: SEMANTIC_PATCH });
    expect(served.status).toBe(200);
  });
  afterAll(() => s.close());

  const unchanged = (send: () => Promise<Response>) => unchangedBy(s.store, send);
  const expectInvalid = (send: () => Promise<Response>, message: string) => expectRefused(s.store, send, 400, 'invalid_request', message);

  it('404s name the missing project, AI Config, variation or environment', async () => {
    const range = `from=0&to=1000`;
    const missing: [() => Promise<Response>, string][] = [
      [() => s.get('/api/v2/projects/nope/ai-configs'), 'Project "nope" not found'],
      [() => s.post('/api/v2/projects/nope/ai-configs', { key: 'k', name: 'K' }), 'Project "nope" not found'],
      [() => s.get(`${url}/nope`), 'AI Config "nope" in project "shop" not found'],
      // A flag of that key is not an AI Config.
      [() => s.get(`${url}/plain-flag`), 'AI Config "plain-flag" in project "shop" not found'],
      [() => s.patch(`${url}/plain-flag`, { name: 'x' }), 'AI Config "plain-flag" in project "shop" not found'],
      [() => s.patch(`${url}/nope`, { name: 'x' }), 'AI Config "nope" in project "shop" not found'],
      [() => s.del(`${url}/nope`), 'AI Config "nope" in project "shop" not found'],
      [() => s.post(`${url}/nope/variations`, { key: 'v', name: 'V' }), 'AI Config "nope" in project "shop" not found'],
      [() => s.get(`${url}/chat/variations/nope`), 'Variation "nope" of AI Config "chat" not found'],
      [() => s.patch(`${url}/chat/variations/nope`, { name: 'x' }), 'Variation "nope" of AI Config "chat" not found'],
      [() => s.del(`${url}/chat/variations/nope`), 'Variation "nope" of AI Config "chat" not found'],
      [() => s.get(`${url}/nope/targeting`), 'AI Config "nope" in project "shop" not found'],
      [() => s.patch(`${url}/nope/targeting`, { environmentKey: 'production', instructions: [{ kind: 'removeRule', ruleId: 'r' }] }), 'AI Config "nope" in project "shop" not found'],
      [() => s.get(`${url}/nope/metrics?${range}&env=production`), 'AI Config "nope" in project "shop" not found'],
      [() => s.get(`${url}/chat/metrics?${range}&env=nope`), 'Environment "nope" in project "shop" not found'],
      [() => s.get(`${url}/chat/metrics-by-variation?${range}&env=nope`), 'Environment "nope" in project "shop" not found'],
    ];
    for (const [send, message] of missing) {
      const res = await unchanged(send);
      expect(res.status, message).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message });
    }
  });

  it('postAIConfig: every bad field named; a key taken is a 409', async () => {
    await expectInvalid(() => s.post(url, { name: 'No key' }), 'key: must be present');
    await expectInvalid(() => s.post(url, { key: 'bad key', name: 'K' }), "key: must start with a letter or digit and contain only letters, digits, '.', '_' or '-'");
    await expectInvalid(() => s.post(url, { key: 'model-configs', name: 'K' }), 'key: "model-configs" is a path segment of the AI Configs\' routes; choose another key');
    await expectInvalid(() => s.post(url, { key: 'k', name: 'K', mode: 'chat' }), 'mode: must be one of "agent", "completion", "judge"');
    await expectInvalid(() => s.post(url, { key: 'k', name: 'K', temperature: 1 }), 'temperature: is not allowed');
    await expectInvalid(() => s.post(url, { key: 'k', name: 'K', maintainerId: 'nobody' }), 'maintainerId: no member has the ID "nobody"');
    await expectInvalid(() => s.post(url, { key: 'k', name: 'K', maintainerTeamKey: 'nope' }), 'maintainerTeamKey: there is no team "nope"');
    await expectInvalid(
      () => s.post(url, { key: 'k', name: 'K', mode: 'agent', defaultVariation: { key: 'v', name: 'V', messages: [{ role: 'system', content: 'x' }] } }),
      "defaultVariation.messages: an agent-mode AI Config takes instructions, not messages",
    );
    await expectInvalid(() => s.post(url, { key: 'k', name: 'K', defaultVariation: { key: 'v', name: 'V', messages: [{ role: 'robot', content: 'x' }] } }), 'defaultVariation.messages[0].role: must be one of "system", "user", "assistant", "developer"');
    for (const key of ['chat', 'plain-flag']) {
      const res = await unchanged(() => s.post(url, { key, name: 'Again' }));
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ code: 'conflict', message: `An AI Config or flag with key "${key}" already exists in project "shop"` });
    }
  });

  it('patchAIConfig: fields it does not take, wrong types, maintainers that do not exist', async () => {
    await expectInvalid(() => s.patch(`${url}/chat`, { mode: 'agent' }), 'mode: is not allowed');
    await expectInvalid(() => s.patch(`${url}/chat`, { tags: 'a' }), 'tags: must be an array');
    await expectInvalid(() => s.patch(`${url}/chat`, [{ op: 'replace', path: '/name', value: 'x' }]), 'body: must be an object');
    const json = { 'Content-Type': 'application/json' };
    // The body is optional: ldcli's `null` is none, which targeting cannot do without (test/ldcli.test.ts has the others).
    await expectInvalid(() => s.request('PATCH', `${url}/chat/targeting`, { raw: 'null', headers: json }), 'instructions: must be present');
    await expectInvalid(() => s.patch(`${url}/chat`, { maintainerId: 'nobody' }), 'maintainerId: no member has the ID "nobody"');
  });

  it('variations: the prompt the mode takes, model configs and judges that exist, keys not taken', async () => {
    await expectInvalid(() => s.post(`${url}/chat/variations`, { name: 'No key' }), 'key: must be present');
    await expectInvalid(() => s.post(`${url}/chat/variations`, { key: 'w', name: 'W', instructions: 'Do it' }), 'instructions: a completion-mode AI Config takes messages, not instructions (only agent-mode AI Configs take instructions)');
    await expectInvalid(() => s.post(`${url}/agent/variations`, { key: 'w', name: 'W', messages: [{ role: 'user', content: 'q' }] }), 'messages: an agent-mode AI Config takes instructions, not messages');
    await expectInvalid(() => s.post(`${url}/chat/variations`, { key: 'w', name: 'W', modelConfigKey: 'nope' }), 'modelConfigKey: there is no model config "nope" in this project (nor a global one)');
    await expectInvalid(() => s.post(`${url}/chat/variations`, { key: 'w', name: 'W', toolKeys: ['search'] }), 'toolKeys[0]: there is no AI tool "search" in this project');
    await expectInvalid(() => s.post(`${url}/chat/variations`, { key: 'w', name: 'W', tools: [{ key: 'search', version: 1 }] }), 'tools[0].key: there is no AI tool "search" in this project');
    await expectInvalid(() => s.post(`${url}/chat/variations`, { key: 'w', name: 'W', judgeConfiguration: { judges: [{ judgeConfigKey: 'nope', samplingRate: 0.5 }] } }), 'judgeConfiguration.judges[0].judgeConfigKey: there is no AI Config "nope" in this project');
    await expectInvalid(() => s.post(`${url}/chat/variations`, { key: 'w', name: 'W', judgeConfiguration: { judges: [{ judgeConfigKey: 'agent', samplingRate: 0.5 }] } }), 'judgeConfiguration.judges[0].judgeConfigKey: AI Config "agent" is not a judge (its mode is agent)');
    await expectInvalid(() => s.post(`${url}/chat/variations`, { key: 'w', name: 'W', judgeConfiguration: { judges: [{ judgeConfigKey: 'agent', samplingRate: 2 }] } }), 'judgeConfiguration.judges[0].samplingRate: must be <= 1');
    await expectInvalid(() => s.post(`${url}/chat/variations`, { key: 'w', name: 'W', model: { modelName: 4 } }), 'model.modelName: must be a string');
    const taken = await unchanged(() => s.post(`${url}/chat/variations`, { key: 'v', name: 'Again' }));
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ code: 'conflict', message: 'AI Config "chat" already has a variation with key "v"' });

    await expectInvalid(() => s.patch(`${url}/chat/variations/v`, { state: 'draft' }), 'state: must be one of "archived", "published"');
    await expectInvalid(() => s.patch(`${url}/chat/variations/v`, { state: 'archived', published: true }), 'published: says the opposite of state "archived"');
    await expectInvalid(() => s.patch(`${url}/chat/variations/v`, { key: 'renamed' }), 'key: is not allowed');
    // What targeting serves can be neither archived nor deleted.
    const servedReason = 'variation "v" is served by the targeting in environment "production"; point that targeting at another variation before it is';
    await expectInvalid(() => s.patch(`${url}/chat/variations/v`, { state: 'archived' }), `state: ${servedReason} archived`);
    await expectInvalid(() => s.del(`${url}/chat/variations/v`), `variationKey: ${servedReason} deleted`);
  });

  it('targeting: a semantic patch of the documented instructions, in an environment of the project', async () => {
    const patch = (body: unknown) => () => s.patch(`${url}/chat/targeting`, body, { headers: SEMANTIC_PATCH });
    await expectInvalid(patch([{ op: 'replace', path: '/environments/production/on', value: false }]), 'body: this resource takes a semantic patch {"instructions": [{"kind": ...}]}, not a JSON Patch array');
    await expectInvalid(patch({ instructions: [{ kind: 'removeRule', ruleId: 'r' }] }), 'environmentKey: must be present: AI Config targeting is changed in one environment at a time');
    await expectInvalid(patch({ environmentKey: 'nope', instructions: [{ kind: 'removeRule', ruleId: 'r' }] }), 'environmentKey: there is no environment "nope" in this project');
    const turnOn = await unchanged(patch({ environmentKey: 'production', instructions: [{ kind: 'turnFlagOff' }] }));
    expect(turnOn.status).toBe(400);
    expect(turnOn.body.message).toMatch(/^instructions\[0\]\.kind: unknown instruction kind "turnFlagOff"; use one of addClauses, addRule/);
    await expectInvalid(patch({ environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', variationId: 'nope' }] }), 'instructions[0].variationId: updateFallthroughVariationOrRollout: the flag has no variation with _id "nope"');
  });

  it('metrics: from, to and env required, to after from, at most 100 days', async () => {
    const metrics = (query: string) => () => s.get(`${url}/chat/metrics?${query}`);
    await expectInvalid(metrics(''), 'from: must be present (a Unix time in milliseconds); to: must be present (a Unix time in milliseconds); env: must be present (an environment key)');
    await expectInvalid(metrics('from=yesterday&to=1&env=production'), 'from: must be a Unix time in milliseconds, not "yesterday"');
    await expectInvalid(metrics('from=10&to=10&env=production'), 'to: must be after from');
    await expectInvalid(() => s.get(`${url}/chat/metrics-by-variation?from=0&to=${100 * 86_400_000 + 1}&env=production`), 'to: may be at most 100 days after from');
    await expectInvalid(metrics('from=0&to=10&env=production&contextKey=ada'), 'contextKind: must be present when contextKey is given (the kind of the context the key names)');
    await expectInvalid(() => s.get(`${url}/chat/metrics-by-variation?from=0&to=10&env=production&contextKind=&contextKey=bob`), 'contextKind: must be present when contextKey is given (the kind of the context the key names)');
  });

  it('quick stats: env required and an environment of the project; an unknown project or environment, 404 naming it', async () => {
    await expectInvalid(() => s.get(`${url}/quick-stats`), 'env: must be present (an environment key)');
    await expectInvalid(() => s.get(`${url}/quick-stats?env=`), 'env: must be present (an environment key)');
    await expectRefused(s.store, () => s.get(`${url}/quick-stats?env=nope`), 404, 'not_found', 'Environment "nope" in project "shop" not found');
    await expectRefused(s.store, () => s.get('/api/v2/projects/nope/ai-configs/quick-stats?env=production'), 404, 'not_found', 'Project "nope" not found');
  });

  it("the flags API may change the flag's targeting, not its variations; it neither archives nor deletes it", async () => {
    await expectInvalid(
      () => s.patch('/api/v2/flags/shop/chat', [{ op: 'replace', path: '/variations/1/value', value: { _ldMeta: { enabled: true } } }]),
      'variations: flag "chat" is the flag of AI Config "chat": its variations are the AI Config\'s; change them through /api/v2/projects/shop/ai-configs/chat/variations',
    );
    await expectInvalid(() => s.patch('/api/v2/flags/shop/chat', [{ op: 'replace', path: '/archived', value: true }]), 'archived: flag "chat" is the flag of AI Config "chat": it is archived or restored with the AI Config, not by itself');
    const deleted = await unchanged(() => s.del('/api/v2/flags/shop/chat'));
    expect(deleted.status).toBe(409);
    expect(deleted.body).toEqual({ code: 'conflict', message: 'Flag "chat" is the flag of AI Config "chat"; delete the AI Config instead (DELETE /api/v2/projects/shop/ai-configs/chat)' });
    expect((await s.patch('/api/v2/flags/shop/chat', [{ op: 'replace', path: '/environments/test/trackEvents', value: true }])).status).toBe(200);
    expect((await s.get(`${url}/chat/targeting`)).body.environments.test.trackEvents).toBe(true);
  });

  it("deleteAIConfig: refused while another flag has the config's flag as a prerequisite", async () => {
    expect((await s.patch('/api/v2/flags/shop/plain-flag', [{ op: 'add', path: '/environments/production/prerequisites/-', value: { key: 'chat', variation: 1 } }])).status).toBe(200);
    await expectInvalid(() => s.del(`${url}/chat`), 'configKey: the flag of AI Config "chat" is a prerequisite of flag "plain-flag"; remove those prerequisites first');
  });

  it('deleteAIConfig: refused while an agent graph has the config as a node; allowed once no graph does', async () => {
    const graphs = '/api/v2/projects/shop/agent-graphs';
    const beta = { headers: { 'LD-API-Version': 'beta' } };
    expect((await s.post(graphs, { key: 'root-only', name: 'Root only', rootConfigKey: 'agent', edges: [] }, beta)).status).toBe(201);
    expect((await s.post(graphs, { key: 'handoff', name: 'Handoff', rootConfigKey: 'chat', edges: [{ key: 'e', sourceConfig: 'chat', targetConfig: 'agent' }] }, beta)).status).toBe(201);
    await expectInvalid(() => s.del(`${url}/agent`), 'configKey: AI Config "agent" is a node of agent graph "handoff", "root-only"; remove it from those graphs first');
    expect((await s.del(`${graphs}/handoff`, beta)).status).toBe(204);
    expect((await s.del(`${graphs}/root-only`, beta)).status).toBe(204);
    expect((await s.del(`${url}/agent`)).status).toBe(204);
  });
});
