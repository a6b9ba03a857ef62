// Who may manage release policies: every token must be valid; readers read; writers write. Custom roles need
// createReleasePolicy, updateReleasePolicy (reordering: on every policy) and deleteReleasePolicy on
// `proj/p:release-policy/key`; another project's policies stay out of reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const POLICIES = '/api/v2/projects/shop/release-policies';
const BODY = { name: 'Guarded', releaseMethod: 'guarded-release' };

describe('release policies: security', () => {
  let s: TestServer;
  const as = (token: string | null) => ({ token, headers: { 'LD-API-Version': 'beta' } });
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'hidden']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
    expect((await s.post(POLICIES, { key: 'guarded', ...BODY }, as(s.tokens.writer))).status).toBe(201);
    expect((await s.post('/api/v2/projects/hidden/release-policies', { key: 'secret', ...BODY }, as(s.tokens.writer))).status).toBe(201);
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>, status: number): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
  }

  const writes = (token: string | null) => [
    () => s.post(POLICIES, { key: 'new', ...BODY }, as(token)),
    () => s.put(`${POLICIES}/guarded`, { ...BODY, name: 'Renamed' }, as(token)),
    () => s.post(`${POLICIES}/order`, ['guarded'], as(token)),
    () => s.del(`${POLICIES}/guarded`, as(token)),
  ];

  it('401 without a valid token; readers read but may not write', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [() => s.get(POLICIES, as(token)), () => s.get(`${POLICIES}/guarded`, as(token)), ...writes(token)]) await refused(send, 401);
    }
    expect((await s.get(POLICIES, as(s.tokens.reader))).body.totalCount).toBe(1);
    for (const send of writes(s.tokens.reader)) await refused(send, 403);
  });

  it('custom roles: each policy action, on that project', async () => {
    const role = async (actions: string[], resource = 'proj/shop:release-policy/*') =>
      (await s.post('/api/v2/tokens', { name: actions.join() || 'view', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, { effect: 'allow', resources: [resource], actions }] })).body.token as string;
    const creator = await role(['createReleasePolicy']);
    expect((await s.post(POLICIES, { key: 'made', ...BODY }, as(creator))).status).toBe(201);
    await refused(() => s.post('/api/v2/projects/hidden/release-policies', { key: 'made', ...BODY }, as(creator)), 403);
    await refused(() => s.put(`${POLICIES}/made`, BODY, as(creator)), 403);
    const updater = await role(['updateReleasePolicy'], 'proj/shop:release-policy/made');
    expect((await s.put(`${POLICIES}/made`, { ...BODY, name: 'Renamed' }, as(updater))).status).toBe(200);
    // Reordering moves every policy.
    await refused(() => s.post(`${POLICIES}/order`, ['made', 'guarded'], as(updater)), 403);
    expect((await s.post(`${POLICIES}/order`, ['made', 'guarded'], as(await role(['updateReleasePolicy'])))).status).toBe(200);
    await refused(() => s.del(`${POLICIES}/made`, as(updater)), 403);
    expect((await s.del(`${POLICIES}/made`, as(await role(['deleteReleasePolicy'])))).status).toBe(204);
    await refused(() => s.get('/api/v2/projects/hidden/release-policies', as(creator)), 403);
  });

  it("another project's policy is not found under this one", async () => {
    await refused(() => s.get(`${POLICIES}/secret`, as(s.tokens.reader)), 404);
  });
});
