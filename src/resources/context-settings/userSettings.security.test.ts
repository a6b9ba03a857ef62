// The legacy User settings security: a token is needed (an SDK key is none); a reader may read a user's settings but
// not set them, a writer may; a custom role needs viewProject on the project to read them and updateTargets on the
// flag in that environment to set one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BASE = '/api/v2/users/shop/production';

describe('User settings security', () => {
  let s: TestServer;
  let sdkKey: string;
  const targetsOf = async (flag: string, env = 'production') => (await s.get(`/api/v2/flags/shop/${flag}`)).body.environments[env].targets;
  /** A token whose only role is a custom role with this policy. */
  const roleToken = async (key: string, policy: Record<string, unknown>[]): Promise<string> => {
    const role = await s.post('/api/v2/roles', { key, name: key, policy });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const token = await s.post('/api/v2/tokens', { name: key, customRoleIds: [role.body._id] });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    return token.body.token as string;
  };
  beforeAll(async () => {
    s = await startServer();
    const project = await s.post('/api/v2/projects', { key: 'shop', name: 'Shop', environments: [{ key: 'production', name: 'Production', color: '000000' }, { key: 'staging', name: 'Staging', color: '000000' }] });
    expect(project.status).toBe(201);
    sdkKey = project.body.environments[0].apiKey;
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'sort.order', name: 'Sort order' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'alternate.page', name: 'Alternate page' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('401 without a token, with an unknown token or with an SDK key, for every operation; nothing written', async () => {
    for (const token of [null, 'api-00000000-0000-0000-0000-000000000000', 'not a token', sdkKey]) {
      const label = String(token);
      const list = await s.get(`${BASE}/ada/flags`, { token });
      expect(list.status, label).toBe(401);
      expect(list.body.code, label).toBe('unauthorized');
      const one = await s.get(`${BASE}/ada/flags/sort.order`, { token });
      expect(one.status, label).toBe(401);
      expect(one.body.code, label).toBe('unauthorized');
      const put = await s.put(`${BASE}/ada/flags/sort.order`, { setting: true }, { token });
      expect(put.status, label).toBe(401);
      expect(put.body.code, label).toBe('unauthorized');
    }
    expect(await targetsOf('sort.order')).toEqual([]);
  });

  it('a reader may read settings but gets 403 on PUT, which writes nothing', async () => {
    const token = s.tokens.reader;
    expect((await s.get(`${BASE}/ada/flags`, { token })).status).toBe(200);
    expect((await s.get(`${BASE}/ada/flags/sort.order`, { token })).body).toMatchObject({ setting: null });
    const put = await s.put(`${BASE}/ada/flags/sort.order`, { setting: true }, { token });
    expect(put.status).toBe(403);
    expect(put.body.code).toBe('forbidden');
    expect(await targetsOf('sort.order')).toEqual([]);
  });

  it('a writer may PUT (and clear) a setting', async () => {
    const token = s.tokens.writer;
    expect((await s.put(`${BASE}/wendy/flags/sort.order`, { setting: false }, { token })).status).toBe(204);
    expect((await s.get(`${BASE}/wendy/flags/sort.order`, { token })).body).toMatchObject({ setting: false });
    expect((await s.put(`${BASE}/wendy/flags/sort.order`, { setting: null }, { token })).status).toBe(204);
    expect(await targetsOf('sort.order')).toEqual([]);
  });

  it('a custom role with updateTargets on sort.order in production may set it there, not another flag nor another environment', async () => {
    const token = await roleToken('sort-order-targeter', [
      { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] },
      { effect: 'allow', resources: ['proj/shop:env/production:flag/sort.order'], actions: ['updateTargets'] },
    ]);
    expect((await s.get(`${BASE}/carol/flags`, { token })).status).toBe(200);
    expect((await s.put(`${BASE}/carol/flags/sort.order`, { setting: true, comment: 'by role' }, { token })).status).toBe(204);
    expect((await s.get(`${BASE}/carol/flags/sort.order`, { token })).body).toMatchObject({ setting: true });
    expect(await targetsOf('sort.order')).toEqual([expect.objectContaining({ values: ['carol'], variation: 0 })]);

    const otherFlag = await s.put(`${BASE}/carol/flags/alternate.page`, { setting: true }, { token });
    expect(otherFlag.status).toBe(403);
    expect(otherFlag.body.code).toBe('forbidden');
    expect(otherFlag.body.message).toContain('updateTargets');
    expect(await targetsOf('alternate.page')).toEqual([]);

    const otherEnv = await s.put('/api/v2/users/shop/staging/carol/flags/sort.order', { setting: true }, { token });
    expect(otherEnv.status).toBe(403);
    expect(otherEnv.body.code).toBe('forbidden');
    expect(otherEnv.body.message).toContain('updateTargets');
    expect(await targetsOf('sort.order', 'staging')).toEqual([]);

    // Clearing is a change of targets too: allowed where setting is.
    expect((await s.put(`${BASE}/carol/flags/sort.order`, {}, { token })).status).toBe(204);
    expect(await targetsOf('sort.order')).toEqual([]);
  });

  it('a custom role without viewProject on the project gets 403 on the GETs (and on the PUT)', async () => {
    const token = await roleToken('other-only', [
      { effect: 'allow', resources: ['proj/other'], actions: ['viewProject'] },
      { effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['updateTargets'] },
    ]);
    for (const path of [`${BASE}/ada/flags`, `${BASE}/ada/flags/sort.order`]) {
      const res = await s.get(path, { token });
      expect(res.status, path).toBe(403);
      expect(res.body.code, path).toBe('forbidden');
      expect(res.body.message, path).toContain('viewProject');
    }
    const put = await s.put(`${BASE}/ada/flags/sort.order`, { setting: true }, { token });
    expect(put.status).toBe(403);
    expect(put.body.code).toBe('forbidden');
    expect(await targetsOf('sort.order')).toEqual([]);
    // The project it may view is readable (it has no flags).
    const other = await s.get('/api/v2/users/other/production/ada/flags', { token });
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual({});
  });

  it('a custom role that may only view the project reads settings but may not set them', async () => {
    const token = await roleToken('viewer', [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }]);
    expect((await s.get(`${BASE}/ada/flags/sort.order`, { token })).status).toBe(200);
    const put = await s.put(`${BASE}/ada/flags/sort.order`, { setting: true }, { token });
    expect(put.status).toBe(403);
    expect(put.body.code).toBe('forbidden');
    expect(await targetsOf('sort.order')).toEqual([]);
  });
});
