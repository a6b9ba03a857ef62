// Contexts as SDKs send them, for the Contexts API's tests: a project whose production environment has received
// index and identify events from two applications (a Node SDK, and an app that tags its id).
import { expect } from 'vitest';
import { sdkKeyOf } from './sdk.js';
import type { TestServer } from './server.js';

export const T0 = 1_800_000_000_000;
/** The test server's clock (startServer({ now: () => NOW })): after every event, which are dated by their creationDate. */
export const NOW = T0 + 60_000;
export const NODE_SDK = 'NodeJSClient/9.13.7';

/** The instances the seed sends, by name, as each was last seen. */
export const SEEN = {
  sandy: T0 + 4_000,
  henryAtLaunchDarkly: T0 + 2_000,
  launchDarklyInWebApp: T0 + 3_000,
  kai: T0 + 5_000,
};

export async function seedContexts(s: TestServer, project = 'shop'): Promise<{ sdkKey: string; base: string }> {
  expect((await s.post('/api/v2/projects', { name: 'Shop', key: project })).status).toBe(201);
  const sdkKey = await sdkKeyOf(s, project);
  const send = async (events: unknown[], headers: Record<string, string>) => {
    const res = await s.request('POST', '/bulk', { body: events, token: sdkKey, headers });
    expect(res.status).toBe(202);
  };
  await send(
    [
      { kind: 'index', creationDate: T0 + 1_000, context: { kind: 'user', key: 'sandy', name: 'Sandy Smith', email: 'sandy@example.com', country: 'NZ', tags: ['beta', 'pro'] } },
      {
        kind: 'index',
        creationDate: SEEN.henryAtLaunchDarkly,
        context: { kind: 'multi', user: { key: 'henry', name: 'Henry Jacobs', country: 'US' }, org: { key: 'launchdarkly', name: 'LaunchDarkly', tier: 'gold' }, device: { key: 'd-1', anonymous: true } },
      },
      // Anonymous contexts are not recorded, nor events without a context.
      { kind: 'index', creationDate: T0 + 2_500, context: { kind: 'user', key: 'anon-1', anonymous: true } },
      { kind: 'custom', key: 'checkout', creationDate: T0 + 2_600, contextKeys: { user: 'ghost' } },
      // Sandy again: her latest attributes win.
      { kind: 'identify', creationDate: SEEN.sandy, context: { kind: 'user', key: 'sandy', name: 'Sandy S.', email: 'sandy@example.com', country: 'NZ', tags: ['beta', 'pro'], address: { city: 'Wellington' } } },
      { kind: 'index', creationDate: SEEN.kai, context: { key: 'kai', name: 'Kai', country: 'NZ', _meta: { redactedAttributes: ['email'] } } },
    ],
    { 'User-Agent': NODE_SDK },
  );
  await send([{ kind: 'index', creationDate: SEEN.launchDarklyInWebApp, context: { kind: 'org', key: 'launchdarkly', name: 'LaunchDarkly', tier: 'platinum' } }], {
    'User-Agent': NODE_SDK,
    'X-LaunchDarkly-Tags': 'application-id/web-app application-version/2.0',
  });
  return { sdkKey, base: `/api/v2/projects/${project}/environments/production` };
}

/** base64url of a fully qualified key: a context instance's id. */
export const idOf = (fullyQualifiedKey: string) => Buffer.from(fullyQualifiedKey).toString('base64url');
