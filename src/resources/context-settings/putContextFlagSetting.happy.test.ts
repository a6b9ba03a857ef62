// putContextFlagSetting with the official client's ContextSettingsApi: a context is served the variation whose value
// it is set to (an individual target, as the SDK then evaluates it), moved when set again, and let go with null or
// no setting; each change is one flag version and one audit entry.
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { Configuration, ContextSettingsApi } from 'launchdarkly-api-typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorld, flagVersion, type World } from '../../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('putContextFlagSetting', () => {
  let s: TestServer;
  let w: World;
  let settings: ContextSettingsApi;
  let sdk: LDClient;
  const production = async () => (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production;
  const set = (kind: string, key: string, setting: unknown, flag = w.flag) => settings.putContextFlagSetting(w.project, 'production', kind, key, flag, setting === undefined ? {} : { setting });

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    settings = new ContextSettingsApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    sdk = sdkClient(s.url, await sdkKeyOf(s, w.project));
    await sdk.waitForInitialization({ timeout: 10 });
  });
  afterAll(async () => {
    sdk.close();
    await s.close();
  });

  it('a user set to false is targeted to that variation, and the SDK serves it as a target match', async () => {
    const before = await flagVersion(s, w.project, w.flag);
    expect((await set('user', 'ada', false)).status).toBe(204);
    const env = await production();
    expect(env.targets).toEqual([expect.objectContaining({ values: ['ada'], variation: 1 })]);
    expect(env.version).toBe(before + 1);
    await vi.waitFor(async () => expect(await sdk.variationDetail(w.flag, { kind: 'user', key: 'ada', groups: ['beta'] }, 'default')).toEqual({ value: false, variationIndex: 1, reason: { kind: 'TARGET_MATCH' } }));
  });

  it('set again, the context moves: it is in one target only', async () => {
    expect((await set('user', 'ada', true)).status).toBe(204);
    expect((await production()).targets).toEqual([expect.objectContaining({ values: ['ada'], variation: 0 })]);
  });

  it('other kinds go to contextTargets; a string flag is set by its variation\'s value', async () => {
    expect((await set('org', 'acme', false)).status).toBe(204);
    expect((await production()).contextTargets).toEqual(expect.arrayContaining([expect.objectContaining({ contextKind: 'org', values: ['acme'], variation: 1 })]));
    expect((await s.post(`/api/v2/flags/${w.project}`, { key: 'color', name: 'Color', variations: [{ value: 'red' }, { value: 'blue' }, { value: 'green' }] })).status).toBe(201);
    expect((await set('user', 'bob', 'blue', 'color')).status).toBe(204);
    expect((await set('user', 'cy', 'green', 'color')).status).toBe(204);
    const color = (await s.get(`/api/v2/flags/${w.project}/color`)).body.environments.production;
    expect(color.targets.map((t: { values: string[]; variation: number }) => [t.values, t.variation])).toEqual([
      [['bob'], 1],
      [['cy'], 2],
    ]);
  });

  it('null, or no setting, lets the context go; letting go of a context that has none changes nothing', async () => {
    expect((await set('user', 'ada', null)).status).toBe(204);
    expect((await production()).targets).toEqual([]);
    expect((await set('org', 'acme', undefined)).status).toBe(204);
    expect((await production()).contextTargets).toEqual([]);
    const version = await flagVersion(s, w.project, w.flag);
    expect((await set('user', 'nobody', null)).status).toBe(204);
    expect(await flagVersion(s, w.project, w.flag)).toBe(version);
    await vi.waitFor(async () => expect((await sdk.variationDetail(w.flag, { kind: 'user', key: 'ada' }, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' }));
  });

  it('the write is audited as a flag update in the environment, with its comment', async () => {
    const res = await s.put(`/api/v2/projects/${w.project}/environments/production/contexts/user/dee/flags/${w.flag}`, { setting: true, comment: 'dee sees the new checkout' }, { token: s.tokens.writer });
    expect(res.status).toBe(204);
    const entries = (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items;
    expect(entries[0]).toMatchObject({ accesses: [{ action: 'updateTargets' }], description: expect.stringContaining('dee sees the new checkout') });
  });
});
