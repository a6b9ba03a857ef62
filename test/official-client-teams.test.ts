// The official REST client (launchdarkly-api-typescript) manages teams over real HTTP, unchanged, as Terraform's
// launchdarkly_team does: TeamsApi.postTeam (custom role keys, members, a maintainer grant), getTeam with the
// roles, projects and maintainers expanded, getTeams with a query filter, patchTeam (the reference's instructions),
// getTeamRoles, getTeamMaintainers, postTeamMembers (a CSV file), deleteTeam; TeamsBetaApi.patchTeams; AccountMembersApi.postMemberTeams and the
// members list filtered by team (how Terraform reads a team's members).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountMembersApi, Configuration, CustomRolesApi, ProjectsApi, TeamsApi, TeamsBetaApi } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

describe('teams through launchdarkly-api-typescript (TeamsApi)', () => {
  let s: TestServer;
  let teams: TeamsApi;
  let members: AccountMembersApi;
  let config: Configuration;
  let ids: string[];
  beforeAll(async () => {
    s = await startServer({ listen: true });
    config = new Configuration({ apiKey: s.tokens.admin, basePath: s.url });
    teams = new TeamsApi(config);
    members = new AccountMembersApi(config);
    await new ProjectsApi(config).postProject({ key: 'web', name: 'Web' });
    await new CustomRolesApi(config).postCustomRole({ key: 'web-flags', name: 'Web flags', policy: [{ effect: 'allow', resources: ['proj/web:env/*:flag/*'], actions: ['*'] }] });
    ids = (await members.postMembers([{ email: 'a@acme.com' }, { email: 'b@acme.com' }, { email: 'c@acme.com' }])).data.items.map((m) => m._id);
  });
  afterAll(() => s.close());

  it('create, read with expansions, list, change, delete', async () => {
    const created = await teams.postTeam({ key: 'web-team', name: 'Web team', description: 'Ships the web', customRoleKeys: ['web-flags'], memberIDs: [ids[0], ids[1]], permissionGrants: [{ actionSet: 'maintainTeam', memberIDs: [ids[0]] }] });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ key: 'web-team', name: 'Web team', description: 'Ships the web' });

    const read = (await teams.getTeam('web-team', 'roles,projects,maintainers,members')).data;
    expect(read.roles?.items?.map((r) => r.key)).toEqual(['web-flags']);
    expect(read.projects?.items?.map((p) => p.key)).toEqual(['web']);
    expect(read.maintainers?.items?.map((m) => m._id)).toEqual([ids[0]]);
    expect(read.members?.totalCount).toBe(2);
    expect((await teams.getTeams(undefined, undefined, 'query:web')).data.items?.map((t) => t.key)).toEqual(['web-team']);
    const inTeam = (await members.getMembers(100, 0, 'team:web-team')).data.items.map((m) => m._id).sort();
    expect(inTeam).toEqual([ids[0], ids[1]].sort());

    const patched = await teams.patchTeam('web-team', { instructions: [{ kind: 'updateDescription', value: 'Ships the web, faster' }, { kind: 'removeMembers', values: [ids[1]] }] }, 'members');
    expect(patched.data).toMatchObject({ description: 'Ships the web, faster', members: { totalCount: 1 } });
    expect((await teams.getTeamRoles('web-team')).data.items?.map((r) => r.key)).toEqual(['web-flags']);
    expect((await teams.getTeamMaintainers('web-team')).data.items?.map((m) => m._id)).toEqual([ids[0]]);

    const joined = await members.postMemberTeams(ids[2], { teamKeys: ['web-team'] });
    expect(joined.data.teams?.map((t) => t.key)).toEqual(['web-team']);
    const bulk = await new TeamsBetaApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } })).patchTeams({ instructions: [{ kind: 'addMembersToTeams', memberIDs: [ids[1]], teamKeys: ['web-team'] }] });
    expect(bulk.data).toEqual({ memberIDs: [ids[1]], teamKeys: ['web-team'], errors: [] });
    // A CSV file of emails, sent by the client as multipart/form-data.
    await members.postMembers([{ email: 'd@acme.com' }]);
    const imported = await teams.postTeamMembers('web-team', new File(['email\nd@acme.com\n'], 'members.csv', { type: 'text/csv' }));
    expect(imported.status).toBe(201);
    expect(imported.data.items).toEqual([{ status: 'success', value: 'd@acme.com' }]);
    expect((await teams.getTeam('web-team', 'members')).data.members?.totalCount).toBe(4);

    expect((await teams.deleteTeam('web-team')).status).toBe(204);
    const gone = await clientFailure(teams.getTeam('web-team'));
    expect(gone).toMatchObject({ status: 404, data: { code: 'not_found' } });
  });
});
