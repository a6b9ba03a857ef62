import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchToken: happy path', () => {
  let s: TestServer;
  let id: string;
  let value: string;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    const created = await s.post('/api/v2/tokens', { name: 'ci', role: 'reader' });
    id = created.body._id;
    value = created.body.token;
  });
  afterAll(() => s.close());

  it('changes name, description and default API version', async () => {
    const res = await s.patch(`/api/v2/tokens/${id}`, [
      { op: 'replace', path: '/name', value: 'ci bot' },
      { op: 'add', path: '/description', value: 'runs the pipeline' },
      { op: 'replace', path: '/defaultApiVersion', value: 20220603 },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _id: id, name: 'ci bot', description: 'runs the pipeline', defaultApiVersion: 20220603, role: 'reader', token: value.slice(-4) });
  });

  it('a role change takes effect on the very next request, though the token was just authenticated (cached)', async () => {
    expect((await s.post('/api/v2/projects/shop/environments', { name: 'QA', key: 'qa', color: '000000' }, { token: value })).status).toBe(403);
    const promoted = await s.patch(`/api/v2/tokens/${id}`, [{ op: 'replace', path: '/role', value: 'admin' }]);
    expect(promoted.body.role).toBe('admin');
    expect((await s.post('/api/v2/projects/shop/environments', { name: 'QA', key: 'qa', color: '000000' }, { token: value })).status).toBe(201);
    await s.patch(`/api/v2/tokens/${id}`, [{ op: 'replace', path: '/role', value: 'reader' }]);
    expect((await s.del('/api/v2/projects/shop/environments/qa', { token: value })).status).toBe(403);
  });

  it("Terraform's launchdarkly_access_token moves a token between custom roles, an inline role and a built-in role with `remove` of the grants it drops", async () => {
    const roleId = (await s.post('/api/v2/roles', { key: 'devops', name: 'DevOps', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body._id;
    // Its create sends custom role keys.
    const token = (await s.post('/api/v2/tokens', { name: 'tf', serviceToken: true, customRoleIds: ['devops'] })).body;
    expect(token.customRoleIds).toEqual([roleId]);
    const statement = { effect: 'allow', resources: ['proj/*:env/*'], actions: ['*'] };
    const inline = await s.patch(`/api/v2/tokens/${token._id}`, [
      { op: 'replace', path: '/name', value: 'tf' },
      { op: 'remove', path: '/customRoleIds' },
      { op: 'replace', path: '/inlineRole', value: [statement] },
    ]);
    expect(inline.status, JSON.stringify(inline.body)).toBe(200);
    expect(inline.body).toMatchObject({ inlineRole: [statement] });
    expect(inline.body.customRoleIds ?? []).toEqual([]);
    const builtIn = await s.patch(`/api/v2/tokens/${token._id}`, [
      { op: 'replace', path: '/name', value: 'tf' },
      { op: 'replace', path: '/role', value: 'writer' },
      { op: 'remove', path: '/inlineRole' },
    ]);
    expect(builtIn.status, JSON.stringify(builtIn.body)).toBe(200);
    expect(builtIn.body).toMatchObject({ role: 'writer', inlineRole: [] });
    const custom = await s.patch(`/api/v2/tokens/${token._id}`, [
      { op: 'replace', path: '/name', value: 'tf' },
      { op: 'remove', path: '/role' },
      { op: 'replace', path: '/customRoleIds', value: [roleId] },
    ]);
    expect(custom.status, JSON.stringify(custom.body)).toBe(200);
    expect(custom.body.customRoleIds).toEqual([roleId]);
    expect(custom.body).not.toHaveProperty('role');
  });

  it('a patch that changes nothing writes nothing; the token value never appears', async () => {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(`/api/v2/tokens/${id}`, [{ op: 'replace', path: '/role', value: 'reader' }])))).toBe(false);
    expect(res!.status).toBe(200);
    expect(JSON.stringify(res!.body)).not.toContain(value);
  });
});
