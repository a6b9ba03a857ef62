// The official Node server-side SDK evaluates a flag for a multi-context and posts its events; the official REST client
// (launchdarkly-api-typescript, FeatureFlagsApi, unchanged) then reads which context kinds evaluated it
// (getFeatureFlag and getFeatureFlags with expand=evaluation, the list's filter=contextKindsEvaluated) over real HTTP.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Configuration, FeatureFlagsApi } from 'launchdarkly-api-typescript';
import { createWorld, type World } from './support/fixtures.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

describe('expand=evaluation through launchdarkly-api-typescript, from the Node SDK\'s events', () => {
  let s: TestServer;
  let w: World;
  let flags: FeatureFlagsApi;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s, 'kinds');
    flags = new FeatureFlagsApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
  });
  afterAll(() => s.close());

  it('the kinds of the contexts the SDK evaluated the flag for, in the environment it evaluated in', async () => {
    const sdk = sdkClient(s.url, await sdkKeyOf(s, w.project), { sendEvents: true });
    try {
      await sdk.waitForInitialization({ timeout: 10 });
      await sdk.variation(w.flag, { kind: 'multi', user: { key: 'ada' }, device: { key: 'phone-1' } }, false);
      await sdk.flush();
    } finally {
      sdk.close();
    }
    await vi.waitFor(async () => {
      const flag = (await flags.getFeatureFlag(w.project, w.flag, undefined, 'evaluation')).data;
      expect(flag.environments?.production.evaluation).toEqual({ contextKinds: ['device', 'user'] });
      expect(flag.environments?.test.evaluation).toEqual({ contextKinds: [] });
    });
    const listed = await flags.getFeatureFlags(w.project, 'production', undefined, undefined, undefined, undefined, undefined, 'contextKindsEvaluated:user+device', undefined, undefined, 'evaluation');
    expect(listed.data.items.map((f) => [f.key, f.environments?.production.evaluation])).toEqual([[w.flag, { contextKinds: ['device', 'user'] }]]);
    expect((await flags.getFeatureFlags(w.project, undefined, undefined, undefined, undefined, undefined, undefined, 'contextKindsEvaluated:org')).data.items).toEqual([]);
  });

  it('an expansion iterlab does not know is ignored: the client still gets the flag', async () => {
    const flag = (await flags.getFeatureFlag(w.project, w.flag, undefined, 'evaluations')).data;
    expect(flag.key).toBe(w.flag);
    for (const env of Object.values(flag.environments ?? {})) expect(env).not.toHaveProperty('evaluation');
  });
});
