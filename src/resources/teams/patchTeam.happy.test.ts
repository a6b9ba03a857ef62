// patchTeam's instructions, each as the reference describes it; a patch is one new version and one audit entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchTeam', () => {
  let s: TestServer;
  let ids: string[];
  const patch = (instructions: unknown[], query = '') => s.patch(`/api/v2/teams/qa${query}`, { instructions });
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/roles', { key: 'r1', name: 'R1', policy: [] });
    await s.post('/api/v2/roles', { key: 'r2', name: 'R2', policy: [] });
    ids = (await s.post('/api/v2/members', [{ email: 'a@acme.com' }, { email: 'b@acme.com' }, { email: 'c@acme.com' }])).body.items.map((m: { _id: string }) => m._id);
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
  });
  afterAll(() => s.close());

  it('name and description, in one patch: one version more', async () => {
    const res = await patch([{ kind: 'updateName', value: 'Quality' }, { kind: 'updateDescription', value: 'Tests things' }]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Quality', description: 'Tests things', _version: 2 });
  });

  it('members: add, remove, replace', async () => {
    expect((await patch([{ kind: 'addMembers', values: [ids[0], ids[1]] }], '?expand=members')).body.members.totalCount).toBe(2);
    expect((await patch([{ kind: 'removeMembers', values: [ids[0]] }], '?expand=members')).body.members.totalCount).toBe(1);
    await patch([{ kind: 'replaceMembers', values: [ids[2]] }]);
    expect((await s.get('/api/v2/members?filter=team:qa')).body.items.map((m: { _id: string }) => m._id)).toEqual([ids[2]]);
  });

  it('custom roles: add and remove by key', async () => {
    const added = await patch([{ kind: 'addCustomRoles', values: ['r1', 'r2'] }], '?expand=roles');
    expect(added.body.roles.items.map((r: { key: string }) => r.key)).toEqual(['r1', 'r2']);
    const removed = await patch([{ kind: 'removeCustomRoles', values: ['r1'] }], '?expand=roles');
    expect(removed.body.roles.items.map((r: { key: string }) => r.key)).toEqual(['r2']);
    expect((await s.get(`/api/v2/members/${ids[2]}`)).body.teams[0].customRoleKeys).toEqual(['r2']);
  });

  it('permission grants: maintainers added and removed', async () => {
    const res = await patch([{ kind: 'addPermissionGrants', actionSet: 'maintainTeam', memberIDs: [ids[0], ids[1]] }], '?expand=maintainers');
    expect(res.body.maintainers.items.map((m: { _id: string }) => m._id)).toEqual([ids[0], ids[1]]);
    await patch([{ kind: 'removePermissionGrants', actionSet: 'maintainTeam', memberIDs: [ids[0]] }]);
    expect((await s.get('/api/v2/teams/qa/maintainers')).body.items.map((m: { _id: string }) => m._id)).toEqual([ids[1]]);
  });

  it('role attributes: add, update, remove, replace', async () => {
    await patch([{ kind: 'addRoleAttribute', key: 'projects', values: ['web'] }]);
    await patch([{ kind: 'updateRoleAttribute', key: 'projects', values: ['web', 'mobile'] }, { kind: 'addRoleAttribute', key: 'envs', values: ['prod'] }]);
    expect((await s.get('/api/v2/teams/qa?expand=roleAttributes')).body.roleAttributes).toEqual({ projects: ['web', 'mobile'], envs: ['prod'] });
    await patch([{ kind: 'removeRoleAttribute', key: 'envs' }]);
    const replaced = await patch([{ kind: 'replaceRoleAttributes', value: { only: ['this'] } }], '?expand=roleAttributes');
    expect(replaced.body.roleAttributes).toEqual({ only: ['this'] });
  });

  it('a patch that changes nothing keeps the version; a change is audited with its comment', async () => {
    const before = (await s.get('/api/v2/teams/qa')).body._version;
    expect((await patch([{ kind: 'updateName', value: 'Quality' }])).body._version).toBe(before);
    await s.patch('/api/v2/teams/qa', { comment: 'renamed for the reorg', instructions: [{ kind: 'updateName', value: 'QA' }] });
    const entries = (await s.get('/api/v2/auditlog?spec=team/qa')).body.items;
    expect(JSON.stringify(entries[0])).toContain('renamed for the reorg');
  });
});
