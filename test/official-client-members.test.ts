// The official REST client (launchdarkly-api-typescript) manages members over real HTTP, unchanged, as Terraform's
// launchdarkly_team_member does: AccountMembersApi.postMembers (a custom role by key), getMembers with an email
// filter, getMember, patchMember (role, custom roles by id), deleteMember; AccountMembersBetaApi.patchMembers; a flag
// maintained by an invited member; and LaunchDarkly's error bodies on a conflict and a bad role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountMembersApi, AccountMembersBetaApi, Configuration, CustomRolesApi, FeatureFlagsApi, ProjectsApi } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

describe('members through launchdarkly-api-typescript (AccountMembersApi)', () => {
  let s: TestServer;
  let members: AccountMembersApi;
  let config: Configuration;
  let roleId: string;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    config = new Configuration({ apiKey: s.tokens.admin, basePath: s.url });
    members = new AccountMembersApi(config);
    roleId = (await new CustomRolesApi(config).postCustomRole({ key: 'release-managers', name: 'Release managers', policy: [{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['updateOn'] }] })).data._id;
  });
  afterAll(() => s.close());

  it('invite, find by email, change role and custom roles, maintain a flag, remove', async () => {
    const created = await members.postMembers([{ email: 'ariel@acme.com', firstName: 'Ariel', lastName: 'Flores', customRoles: ['release-managers'] }]);
    expect(created.status).toBe(201);
    const ariel = created.data.items[0];
    expect(ariel).toMatchObject({ email: 'ariel@acme.com', role: 'reader', customRoles: [roleId], _pendingInvite: true });

    const found = await members.getMembers(undefined, undefined, 'email:ariel@acme.com');
    expect(found.data.items.map((m) => m._id)).toEqual([ariel._id]);
    expect((await members.getMember(ariel._id)).data.firstName).toBe('Ariel');

    const patched = await members.patchMember(ariel._id, [
      { op: 'replace', path: '/role', value: 'writer' },
      { op: 'replace', path: '/customRoles', value: [] },
    ]);
    expect(patched.data).toMatchObject({ role: 'writer', customRoles: [] });

    await new ProjectsApi(config).postProject({ key: 'web', name: 'Web' });
    const flag = await new FeatureFlagsApi(config).postFeatureFlag('web', { key: 'banner', name: 'Banner', maintainerId: ariel._id });
    expect(flag.data._maintainer?._id).toBe(ariel._id);

    expect((await members.deleteMember(ariel._id)).status).toBe(204);
    expect((await clientFailure(members.getMember(ariel._id))).status).toBe(404);
  });

  it('patchMembers (beta client): replaceMembersRoles', async () => {
    const ids = (await members.postMembers([{ email: 'a@acme.com' }, { email: 'b@acme.com' }])).data.items.map((m) => m._id);
    const res = await new AccountMembersBetaApi(config).patchMembers({ instructions: [{ kind: 'replaceMembersRoles', value: 'admin', memberIDs: ids }] });
    expect(res.data).toEqual({ members: ids, errors: [] });
    expect((await members.getMember(ids[0])).data.role).toBe('admin');
  });

  it("LaunchDarkly's error bodies: an email already in the account, a role that cannot be given", async () => {
    await members.postMembers([{ email: 'once@acme.com' }]);
    const taken = await clientFailure(members.postMembers([{ email: 'once@acme.com' }]));
    expect(taken.status).toBe(400);
    expect(taken.data).toMatchObject({ code: 'email_already_exists_in_account', invalid_emails: ['once@acme.com'] });
    const id = (await members.getMembers(undefined, undefined, 'email:once@acme.com')).data.items[0]._id;
    const bad = await clientFailure(members.patchMember(id, [{ op: 'replace', path: '/role', value: 'owner' }]));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('role') });
  });
});
