// The official REST client (launchdarkly-api-typescript) reads and sets a user's flag settings over real HTTP,
// unchanged: UserSettingsApi.getUserFlagSettings, getUserFlagSetting and putFlagSetting (ValuePut), which clears the
// setting with `setting: null`; and LaunchDarkly's error bodies for an unknown flag and a value no variation has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, FeatureFlagsApi, ProjectsApi, UserSettingsApi, type PatchWithComment, type ValuePut } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

describe('user settings through launchdarkly-api-typescript (UserSettingsApi)', () => {
  let s: TestServer;
  let users: UserSettingsApi;
  const BASE = '/api/v2/users/shop/production';
  beforeAll(async () => {
    s = await startServer({ listen: true });
    const admin = new Configuration({ apiKey: s.tokens.admin, basePath: s.url });
    const writer = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    users = new UserSettingsApi(writer);
    await new ProjectsApi(admin).postProject({ key: 'shop', name: 'Shop' });
    const flags = new FeatureFlagsApi(writer);
    const sort = await flags.postFeatureFlag('shop', { key: 'sort.order', name: 'Sort order' });
    await flags.postFeatureFlag('shop', { key: 'alternate.page', name: 'Alternate page', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    // sort.order on in production, serving false to everyone by default (a semantic patch, which the client sends as given).
    const semantic = { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }, { kind: 'updateFallthroughVariationOrRollout', variationId: sort.data.variations[1]._id }] };
    await flags.patchFeatureFlag('shop', 'sort.order', semantic as unknown as PatchWithComment);
  });
  afterAll(() => s.close());

  it("getUserFlagSettings: every flag's value for the user, no setting, with LaunchDarkly's links", async () => {
    const res = await users.getUserFlagSettings('shop', 'production', 'Abbie_Braun');
    expect(res.status).toBe(200);
    const { items, _links } = res.data;
    expect(Object.keys(items).sort()).toEqual(['alternate.page', 'sort.order']);
    expect(items['sort.order']._value).toBe(false);
    expect(items['sort.order'].setting).toBeNull();
    expect(items['sort.order']._links.self).toEqual({ href: `${BASE}/Abbie_Braun/flags/sort.order`, type: 'application/json' });
    // alternate.page is off: its off variation, the last.
    expect(items['alternate.page']._value).toBe('c');
    expect(items['alternate.page'].setting).toBeNull();
    expect(_links.self).toEqual({ href: `${BASE}/Abbie_Braun/flags`, type: 'application/json' });

    const one = await users.getUserFlagSetting('shop', 'production', 'Abbie_Braun', 'sort.order');
    expect(one.status).toBe(200);
    expect(one.data).toEqual(items['sort.order']);
  });

  it('putFlagSetting, then getUserFlagSetting shows the setting and the value served; setting null clears it', async () => {
    const body: ValuePut = { setting: true, comment: 'make sure' };
    const put = await users.putFlagSetting('shop', 'production', 'Abbie_Braun', 'sort.order', body);
    expect(put.status).toBe(204);
    const read = await users.getUserFlagSetting('shop', 'production', 'Abbie_Braun', 'sort.order');
    expect(read.data).toMatchObject({ _value: true, setting: true });
    expect((await users.getUserFlagSettings('shop', 'production', 'Abbie_Braun')).data.items['sort.order']).toMatchObject({ _value: true, setting: true });
    // Others are not affected.
    expect((await users.getUserFlagSetting('shop', 'production', 'someone-else', 'sort.order')).data).toMatchObject({ _value: false, setting: null });

    const cleared = await users.putFlagSetting('shop', 'production', 'Abbie_Braun', 'sort.order', { setting: null });
    expect(cleared.status).toBe(204);
    expect((await users.getUserFlagSetting('shop', 'production', 'Abbie_Braun', 'sort.order')).data).toMatchObject({ _value: false, setting: null });
  });

  it('a multivariate setting, and a user key the client must encode', async () => {
    const key = 'abbie@example.com/eu';
    expect((await users.putFlagSetting('shop', 'production', key, 'alternate.page', { setting: 'b' })).status).toBe(204);
    const read = await users.getUserFlagSetting('shop', 'production', key, 'alternate.page');
    expect(read.data.setting).toBe('b');
    expect(read.data._value).toBe('c');
    expect(read.data._links.self.href).toBe(`${BASE}/${encodeURIComponent(key)}/flags/alternate.page`);
    expect((await users.putFlagSetting('shop', 'production', key, 'alternate.page', {})).status).toBe(204);
    expect((await users.getUserFlagSetting('shop', 'production', key, 'alternate.page')).data.setting).toBeNull();
  });

  it('errors surface as the client’s errors: 404 for an unknown flag, project or environment; 400 naming setting', async () => {
    // Each call is made only when awaited, so no rejection waits unhandled.
    for (const call of [
      () => users.getUserFlagSetting('shop', 'production', 'Abbie_Braun', 'no-such-flag'),
      () => users.getUserFlagSettings('nope', 'production', 'Abbie_Braun'),
      () => users.getUserFlagSettings('shop', 'nowhere', 'Abbie_Braun'),
      () => users.putFlagSetting('shop', 'production', 'Abbie_Braun', 'no-such-flag', { setting: true }),
    ]) {
      const failure = await clientFailure(call());
      expect(failure.status).toBe(404);
      expect(failure.data.code).toBe('not_found');
    }
    const notFlag = await clientFailure(users.getUserFlagSetting('shop', 'production', 'Abbie_Braun', 'no-such-flag'));
    expect(notFlag.data.message).toContain('no-such-flag');

    const bad = await clientFailure(users.putFlagSetting('shop', 'production', 'Abbie_Braun', 'sort.order', { setting: 'yes' }));
    expect(bad.status).toBe(400);
    expect(bad.data.code).toBe('invalid_request');
    expect(bad.data.message).toContain('setting');
    expect((await users.getUserFlagSetting('shop', 'production', 'Abbie_Braun', 'sort.order')).data.setting).toBeNull();
  });

  it('a reader token reads through the client but may not set', async () => {
    const reader = new UserSettingsApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    expect((await reader.getUserFlagSettings('shop', 'production', 'Abbie_Braun')).status).toBe(200);
    const refused = await clientFailure(reader.putFlagSetting('shop', 'production', 'Abbie_Braun', 'sort.order', { setting: true }));
    expect(refused.status).toBe(403);
    expect(refused.data.code).toBe('forbidden');
  });
});
