// The official REST client (launchdarkly-api-typescript) schedules a context's removal from a flag's individual
// targeting over real HTTP, unchanged: FeatureFlagsApi.patchExpiringTargets (the reference's addExpiringTarget),
// getExpiringContextTargets, patchExpiringUserTargets and getExpiringUserTargets; and the SDK stops serving the
// context its variation once the job has removed it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, EnvironmentsApi, FeatureFlagsApi, ProjectsApi, type PatchWithComment } from 'launchdarkly-api-typescript';
import { expireDueTargets } from '../src/resources/expiring-targets/model.js';
import { sdkClient } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

describe('expiring targets through launchdarkly-api-typescript (FeatureFlagsApi)', () => {
  let s: TestServer;
  let flags: FeatureFlagsApi;
  let config: Configuration;
  let clock = Date.UTC(2026, 11, 4);
  let variations: string[];
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock });
    config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    flags = new FeatureFlagsApi(config);
    await new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url })).postProject({ key: 'shop', name: 'Shop' });
    variations = (await flags.postFeatureFlag('shop', { key: 'beta', name: 'Beta' })).data.variations.map((v) => v._id!);
    // A semantic patch, which the client sends as given (its type names only JSON Patch bodies).
    const semantic = { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }, { kind: 'addTargets', variationId: variations[1], contextKind: 'user', values: ['sandy', 'kai'] }] };
    await flags.patchFeatureFlag('shop', 'beta', semantic as unknown as PatchWithComment);
  });
  afterAll(() => s.close());

  it('schedule, list, and the removal the SDK then sees', async () => {
    const added = await flags.patchExpiringTargets('shop', 'production', 'beta', {
      instructions: [{ kind: 'addExpiringTarget', value: clock + 1000, variationId: variations[1], contextKey: 'sandy', contextKind: 'user' }],
    });
    expect(added.data).toMatchObject({ successfulInstructions: 1, items: [{ contextKey: 'sandy', _version: 1 }] });
    await flags.patchExpiringUserTargets('shop', 'production', 'beta', { instructions: [{ kind: 'addExpireUserTargetDate', userKey: 'kai', variationId: variations[1], value: clock + 5000 }] });
    expect((await flags.getExpiringContextTargets('shop', 'production', 'beta')).data.items.map((t) => t.contextKey)).toEqual(['sandy', 'kai']);
    expect((await flags.getExpiringUserTargets('shop', 'production', 'beta')).data.items.map((t) => t.userKey)).toEqual(['sandy', 'kai']);

    const sdkKey = (await new EnvironmentsApi(config).getEnvironment('shop', 'production')).data.apiKey;
    const client = sdkClient(s.url, sdkKey, { stream: false });
    try {
      await client.waitForInitialization({ timeout: 10 });
      // The flag's default rule serves true; sandy is targeted to false.
      expect(await client.variation('beta', { kind: 'user', key: 'sandy' }, 'default')).toBe(false);
      clock += 1000;
      expect(await expireDueTargets(s.deps)).toBe(1);
      const target = (await flags.getFeatureFlag('shop', 'beta')).data.environments?.production.targets;
      expect(target?.[0].values).toEqual(['kai']);
    } finally {
      client.close();
    }
    const fresh = sdkClient(s.url, sdkKey, { stream: false });
    try {
      await fresh.waitForInitialization({ timeout: 10 });
      expect(await fresh.variation('beta', { kind: 'user', key: 'sandy' }, 'default')).toBe(true);
      expect(await fresh.variation('beta', { kind: 'user', key: 'kai' }, 'default')).toBe(false);
    } finally {
      fresh.close();
    }
  });
});
