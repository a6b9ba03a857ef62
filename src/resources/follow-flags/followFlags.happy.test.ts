// Follow flags with the official client's FollowFlagsApi: members follow a flag in an environment, are listed by
// flag and across the environment, stop following, and go with their flag or when they leave the account.
import { Configuration, FollowFlagsApi } from 'launchdarkly-api-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('follow flags', () => {
  let s: TestServer;
  let w: World;
  let follows: FollowFlagsApi;
  let ariel: string;
  let bo: string;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    follows = new FollowFlagsApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    const invited = await s.post('/api/v2/members', [
      { email: 'bo@acme.com', firstName: 'Bo', lastName: 'Diaz', role: 'writer' },
      { email: 'ariel@acme.com', firstName: 'Ariel', lastName: 'Flores', role: 'reader' },
    ]);
    expect(invited.status).toBe(201);
    [bo, ariel] = invited.body.items.map((m: { _id: string }) => m._id);
    expect((await s.post(`/api/v2/flags/${w.project}`, { key: 'banner', name: 'Banner' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('a member follows a flag in an environment: listed by the flag, as FollowFlagMember', async () => {
    expect((await follows.putFlagFollower(w.project, w.flag, 'production', ariel)).status).toBe(204);
    expect((await follows.putFlagFollower(w.project, w.flag, 'production', bo)).status).toBe(204);
    // Following again changes nothing.
    expect((await follows.putFlagFollower(w.project, w.flag, 'production', bo)).status).toBe(204);
    const { data } = await follows.getFlagFollowers(w.project, w.flag, 'production');
    expect(data).toEqual({
      _links: { self: { href: `/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/followers`, type: 'application/json' } },
      items: [
        { _links: { self: { href: `/api/v2/members/${ariel}`, type: 'application/json' } }, _id: ariel, firstName: 'Ariel', lastName: 'Flores', role: 'reader', email: 'ariel@acme.com' },
        { _links: { self: { href: `/api/v2/members/${bo}`, type: 'application/json' } }, _id: bo, firstName: 'Bo', lastName: 'Diaz', role: 'writer', email: 'bo@acme.com' },
      ],
    });
    // Another environment has its own followers.
    expect((await follows.getFlagFollowers(w.project, w.flag, 'test')).data.items).toEqual([]);
  });

  it('across the environment: each flag that has followers, with them', async () => {
    await follows.putFlagFollower(w.project, 'banner', 'production', bo);
    await follows.putFlagFollower(w.project, 'banner', 'test', ariel);
    const { data } = await follows.getFollowersByProjEnv(w.project, 'production');
    expect(data.items!.map((f) => [f.flagKey, f.followers!.map((m) => m.email)])).toEqual([
      ['banner', ['bo@acme.com']],
      [w.flag, ['ariel@acme.com', 'bo@acme.com']],
    ]);
    expect((await follows.getFollowersByProjEnv(w.project, 'test')).data.items!.map((f) => f.flagKey)).toEqual(['banner']);
  });

  it('unfollowing, again or never followed, is a 204; followers go with their flag and their membership', async () => {
    expect((await follows.deleteFlagFollower(w.project, w.flag, 'production', ariel)).status).toBe(204);
    expect((await follows.deleteFlagFollower(w.project, w.flag, 'production', ariel)).status).toBe(204);
    expect((await follows.getFlagFollowers(w.project, w.flag, 'production')).data.items.map((m) => m._id)).toEqual([bo]);
    expect((await s.del(`/api/v2/flags/${w.project}/banner`)).status).toBe(204);
    expect((await follows.getFollowersByProjEnv(w.project, 'test')).data.items).toEqual([]);
    expect((await s.del(`/api/v2/members/${bo}`)).status).toBe(204);
    expect((await follows.getFlagFollowers(w.project, w.flag, 'production')).data.items).toEqual([]);
  });
});
