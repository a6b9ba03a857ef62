// Who may manage AI Configs: every token needs to be valid; readers read; writers and admins write. Custom roles need
// LaunchDarkly's AI Config actions on `proj/p:aiconfig/key` (createAIConfig, updateAIConfig, deleteAIConfig,
// updateAIConfigVariation, deleteAIConfigVariation) and updateAIConfigTargeting on `proj/p:env/e:aiconfig/key`; reads
// need viewProject. A config is found only under its own project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const SEMANTIC_PATCH = { 'Content-Type': 'application/json; domain-model=launchdarkly.semanticpatch' };

describe('AI Configs: security', () => {
  let s: TestServer;
  const url = (project = 'shop') => `/api/v2/projects/${project}/ai-configs`;
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'hidden']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
    expect((await s.post(url(), { key: 'chat', name: 'Chat', defaultVariation: { key: 'v', name: 'V', messages: [] } })).status).toBe(201);
    expect((await s.post(url('hidden'), { key: 'secret', name: 'Secret' })).status).toBe(201);
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>, status: number): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
  }

  const targeting = (env: string, token?: string) => () =>
    s.patch(`${url()}/chat/targeting`, { environmentKey: env, instructions: [{ kind: 'updateTrackEvents', trackEvents: true }] }, { headers: SEMANTIC_PATCH, ...(token !== undefined ? { token } : {}) });

  it('401 without a valid token; readers read but may not write; writers write', async () => {
    const reads = (token: string | null) => [
      () => s.get(url(), { token }),
      () => s.get(`${url()}/chat`, { token }),
      () => s.get(`${url()}/chat/variations/v`, { token }),
      () => s.get(`${url()}/chat/targeting`, { token }),
      () => s.get(`${url()}/chat/metrics?from=0&to=1000&env=production`, { token }),
      () => s.get(`${url()}/chat/metrics-by-variation?from=0&to=1000&env=production`, { token }),
      () => s.get(`${url()}/quick-stats?env=production`, { token }),
    ];
    const writes = (token: string | null) => [
      () => s.post(url(), { key: 'made', name: 'Made' }, { token }),
      () => s.patch(`${url()}/made`, { description: 'd' }, { token }),
      () => s.post(`${url()}/made/variations`, { key: 'w', name: 'W', messages: [] }, { token }),
      () => s.patch(`${url()}/made/variations/w`, { name: 'W2' }, { token }),
      () => s.patch(`${url()}/made/targeting`, { environmentKey: 'production', instructions: [{ kind: 'updateTrackEvents', trackEvents: true }] }, { token, headers: SEMANTIC_PATCH }),
      () => s.del(`${url()}/made/variations/w`, { token }),
      () => s.del(`${url()}/made`, { token }),
    ];
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [...reads(token), ...writes(token)]) await refused(send, 401);
    }
    for (const send of reads(s.tokens.reader)) expect((await send()).status).toBe(200);
    expect((await s.post(url(), { key: 'made', name: 'Made' })).status).toBe(201);
    for (const send of writes(s.tokens.reader)) await refused(send, 403);
    expect((await s.del(`${url()}/made`)).status).toBe(204);
    const statuses = [];
    for (const send of writes(s.tokens.writer)) statuses.push((await send()).status);
    expect(statuses).toEqual([201, 200, 201, 200, 200, 204, 204]);
  });

  it('custom roles: each AI Config action, on that config; targeting in its environment', async () => {
    const role = async (actions: string[], resource = 'proj/shop:aiconfig/*') =>
      (await s.post('/api/v2/tokens', { name: actions.join() || 'view', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, ...(actions.length > 0 ? [{ effect: 'allow', resources: [resource], actions }] : [])] })).body.token as string;
    const viewer = await role([]);
    await refused(() => s.post(url(), { key: 'k', name: 'K' }, { token: viewer }), 403);
    expect((await s.get(`${url()}/chat`, { token: viewer })).status).toBe(200);

    const creator = await role(['createAIConfig']);
    expect((await s.post(url(), { key: 'k', name: 'K' }, { token: creator })).status).toBe(201);
    await refused(() => s.patch(`${url()}/k`, { name: 'K2' }, { token: creator }), 403);
    expect((await s.patch(`${url()}/k`, { name: 'K2' }, { token: await role(['updateAIConfig']) })).status).toBe(200);

    const variations = await role(['updateAIConfigVariation']);
    expect((await s.post(`${url()}/k/variations`, { key: 'w', name: 'W', messages: [] }, { token: variations })).status).toBe(201);
    expect((await s.patch(`${url()}/k/variations/w`, { name: 'W2' }, { token: variations })).status).toBe(200);
    await refused(() => s.del(`${url()}/k/variations/w`, { token: variations }), 403);
    expect((await s.del(`${url()}/k/variations/w`, { token: await role(['deleteAIConfigVariation']) })).status).toBe(204);

    // Targeting is per environment.
    const production = await role(['updateAIConfigTargeting'], 'proj/shop:env/production:aiconfig/*');
    expect((await targeting('production', production)()).status).toBe(200);
    await refused(targeting('test', production), 403);
    await refused(targeting('production', await role(['updateAIConfig'])), 403);

    // Only the config named.
    const onlyK = await role(['deleteAIConfig'], 'proj/shop:aiconfig/k');
    await refused(() => s.del(`${url()}/chat`, { token: onlyK }), 403);
    expect((await s.del(`${url()}/k`, { token: onlyK })).status).toBe(204);
    // Another project's configs are not this role's to view.
    await refused(() => s.get(`${url('hidden')}/secret`, { token: viewer }), 403);
    await refused(() => s.get(url('hidden'), { token: viewer }), 403);
    expect((await s.get(`${url()}/quick-stats?env=production`, { token: viewer })).status).toBe(200);
    await refused(() => s.get(`${url('hidden')}/quick-stats?env=production`, { token: viewer }), 403);
  });

  it('custom roles: creating into views (viewKeys) also needs linkAIConfigToView on each view', async () => {
    const BETA = { headers: { 'LD-API-Version': 'beta' } };
    for (const key of ['support', 'sales']) expect((await s.post('/api/v2/projects/shop/views', { key, name: key }, BETA)).status).toBe(200);
    const token = async (statements: { resources: string[]; actions: string[] }[]) =>
      (await s.post('/api/v2/tokens', { name: 'views', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, ...statements.map((st) => ({ effect: 'allow', ...st }))] })).body.token as string;
    const createOnly = await token([{ resources: ['proj/shop:aiconfig/*'], actions: ['createAIConfig'] }]);
    await refused(() => s.post(url(), { key: 'viewed', name: 'Viewed', viewKeys: ['support'] }, { token: createOnly }), 403);
    const supportOnly = await token([
      { resources: ['proj/shop:aiconfig/*'], actions: ['createAIConfig'] },
      { resources: ['proj/shop:view/support'], actions: ['linkAIConfigToView'] },
    ]);
    await refused(() => s.post(url(), { key: 'viewed', name: 'Viewed', viewKeys: ['support', 'sales'] }, { token: supportOnly }), 403);
    expect((await s.post(url(), { key: 'viewed', name: 'Viewed', viewKeys: ['support'] }, { token: supportOnly })).status).toBe(201);
    // A reader may not create into views either.
    await refused(() => s.post(url(), { key: 'read', name: 'Read', viewKeys: ['support'] }, { token: s.tokens.reader }), 403);
  });

  it("a config is found only under its own project", async () => {
    expect((await s.get(`${url()}/secret`)).status).toBe(404);
    await refused(() => s.patch(`${url()}/secret`, { name: 'x' }), 404);
    await refused(() => s.del(`${url()}/secret`), 404);
    expect((await s.get(`${url('hidden')}/secret`)).status).toBe(200);
  });
});
