// Who may manage model configs and the restricted list: readers read; writers and admins write. Custom roles need
// createAIModelConfig, deleteAIModelConfig and updateAIModelConfigRestricted on `proj/p:ai-model-config/key` (iterlab's
// names: LaunchDarkly documents none); reads need viewProject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('model configs: security', () => {
  let s: TestServer;
  const url = (project = 'shop') => `/api/v2/projects/${project}/ai-configs/model-configs`;
  const body = { key: 'house', name: 'House', id: 'house-1' };
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'hidden']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>, status: number): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
  }

  it('401 without a valid token; readers read but may not write; writers write', async () => {
    const writes = (token: string | null) => [
      () => s.post(url(), body, { token }),
      () => s.post(`${url()}/restricted`, { keys: ['house'] }, { token }),
      () => s.request('DELETE', `${url()}/restricted`, { token, body: { keys: ['house'] } }),
      () => s.del(`${url()}/house`, { token }),
    ];
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [() => s.get(url(), { token }), () => s.get(`${url()}/OpenAI.gpt-4o`, { token }), ...writes(token)]) await refused(send, 401);
    }
    expect((await s.get(`${url()}/OpenAI.gpt-4o`, { token: s.tokens.reader })).status).toBe(200);
    for (const send of writes(s.tokens.reader)) await refused(send, 403);
    const statuses = [];
    for (const send of writes(s.tokens.writer)) statuses.push((await send()).status);
    expect(statuses).toEqual([200, 200, 204, 204]);
  });

  it('custom roles: each action on the model configs named', async () => {
    const role = async (actions: string[], resource = 'proj/shop:ai-model-config/*') =>
      (await s.post('/api/v2/tokens', { name: actions.join() || 'view', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, ...(actions.length > 0 ? [{ effect: 'allow', resources: [resource], actions }] : [])] })).body.token as string;
    const viewer = await role([]);
    await refused(() => s.post(url(), body, { token: viewer }), 403);
    expect((await s.get(url(), { token: viewer })).status).toBe(200);
    expect((await s.post(url(), body, { token: await role(['createAIModelConfig']) })).status).toBe(200);
    const restrictHouse = await role(['updateAIModelConfigRestricted'], 'proj/shop:ai-model-config/house');
    expect((await s.post(`${url()}/restricted`, { keys: ['house'] }, { token: restrictHouse })).status).toBe(200);
    // Every key of the body is asked about.
    await refused(() => s.post(`${url()}/restricted`, { keys: ['house', 'OpenAI.gpt-4o'] }, { token: restrictHouse }), 403);
    await refused(() => s.del(`${url()}/house`, { token: restrictHouse }), 403);
    expect((await s.del(`${url()}/house`, { token: await role(['deleteAIModelConfig']) })).status).toBe(204);
    await refused(() => s.get(url('hidden'), { token: viewer }), 403);
  });
});
