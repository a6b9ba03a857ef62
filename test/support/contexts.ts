// Contexts as SDKs send them, for the Contexts API's tests: a project whose production environment has received
// index and identify events from two applications (a Node SDK, and an app that tags its id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkKeyOf } from './sdk.js';
import { startServer, type TestServer } from './server.js';

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

/** A suite's server on NOW's clock with the seed's contexts: started before its tests, closed after them. */
export function seededServer(): { s: TestServer; base: string } {
  const world = {} as { s: TestServer; base: string };
  beforeAll(async () => {
    world.s = await startServer({ now: () => NOW });
    world.base = (await seedContexts(world.s)).base;
  });
  afterAll(() => world.s.close());
  return world;
}

/** What every read of the Contexts API answers: 401 without an access token, and a reader's read, writing nothing. */
export function readSecurity(operation: string, method: 'GET' | 'POST', path: string): void {
  describe(`${operation}: security`, () => {
    const world = seededServer();
    const call = (token: string | null) => world.s.request(method, `${world.base}${path}`, { token, ...(method === 'POST' ? { body: {} } : {}) });

    it('401 without a token, and for an SDK key (not an access token)', async () => {
      const sdkKey = (await world.s.get(world.base)).body.apiKey;
      for (const token of [null, sdkKey]) {
        const res = await call(token);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    });

    it('it only reads: a reader token may ask, and nothing is written', async () => {
      const count = async () => (await world.s.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
      const before = await count();
      const res = await call(world.s.tokens.reader);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(await count()).toEqual(before);
    });
  });
}

/** 404 `not_found` for a path (after `…/environments/{e}/`) under an unknown project, and under an unknown environment. */
export async function expectUnknownProjectAndEnvironment(s: TestServer, method: string, tail: string): Promise<void> {
  for (const base of ['/api/v2/projects/nope/environments/production', '/api/v2/projects/shop/environments/nope']) {
    const res = await s.request(method, `${base}/${tail}`, method === 'POST' ? { body: {} } : {});
    expect(res.status, `${method} ${base}/${tail}`).toBe(404);
    expect(res.body.code).toBe('not_found');
  }
}

/**
 * Tokens of two custom roles that may do anything in every project but that one is denied, the other allowed,
 * deleteContextInstances on the seed's environment (proj/shop:env/production).
 */
export async function deleteContextInstancesTokens(s: TestServer): Promise<{ denied: string; allowed: string }> {
  const tokenOf = async (key: string, effect: 'allow' | 'deny') => {
    const policy = [{ effect, actions: ['deleteContextInstances'], resources: ['proj/shop:env/production'] }, { effect: 'allow', actions: ['*'], resources: ['proj/*'] }];
    expect((await s.post('/api/v2/roles', { key, name: key, policy })).status).toBe(201);
    return (await s.post('/api/v2/tokens', { name: key, customRoleIds: [key] })).body.token as string;
  };
  return { denied: await tokenOf('no-delete', 'deny'), allowed: await tokenOf('may-delete', 'allow') };
}
