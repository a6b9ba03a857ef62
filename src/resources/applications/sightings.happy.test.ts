// Applications and versions are added as the SDKs name them in X-LaunchDarkly-Tags: the official Node server-side SDK
// (`application` option) by connecting, and its events tie the flags it evaluated to the application; client-side and
// mobile requests add browser and mobile applications. A request from an application already known writes nothing;
// one deleted is added again when an SDK names it next.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { encodeContext } from '../../../test/support/routes.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const T0 = Date.UTC(2026, 5, 1);

describe('applications added from SDK traffic', () => {
  let s: TestServer;
  let w: World;
  let sdkKey: string;
  let now = T0;
  const get = (path: string) => s.get(path, BETA);
  /** The application once some instance of it is stored (writes happen after the SDK's answer). */
  const stored = async (key: string) => vi.waitFor(async () => {
    const res = await get(`/api/v2/applications/${key}`);
    expect(res.status).toBe(200);
    return res.body;
  });

  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => now });
    w = await createWorld(s, 'cafe');
    sdkKey = await sdkKeyOf(s, w.project);
  });
  afterAll(() => s.close());

  it('the Node server-side SDK connecting adds a server application and its version; its events, the flags it evaluated', async () => {
    const client = sdkClient(s.url, sdkKey, { application: { id: 'cafe-api', version: '1.2.3', name: 'Cafe_API', versionName: 'one-two-three' }, sendEvents: true } as never);
    try {
      await client.waitForInitialization({ timeout: 10 });
      expect(await stored('cafe-api')).toEqual({
        _links: { self: { href: '/api/v2/applications/cafe-api', type: 'application/json' }, versions: { href: '/api/v2/applications/cafe-api/versions', type: 'application/json' } },
        _version: 1,
        autoAdded: true,
        creationDate: T0,
        key: 'cafe-api',
        kind: 'server',
        name: 'Cafe_API',
      });
      const versions = await vi.waitFor(async () => {
        const res = await get('/api/v2/applications/cafe-api/versions');
        expect(res.body.totalCount).toBe(1);
        return res.body;
      });
      expect(versions.items).toEqual([
        { _links: { parent: { href: '/api/v2/applications/cafe-api', type: 'application/json' } }, _version: 1, autoAdded: true, creationDate: T0, key: '1.2.3', name: 'one-two-three', supported: true },
      ]);

      await client.variation(w.flag, { kind: 'user', key: 'ada' }, false);
      await client.flush();
      const expanded = await get('/api/v2/applications/cafe-api?expand=flags');
      expect(expanded.body.flags).toEqual({
        items: [{ name: 'Checkout button', key: w.flag, _links: { self: { href: `/api/v2/flags/cafe/${w.flag}`, type: 'application/json' } }, _site: { href: `/cafe/~/features/${w.flag}`, type: 'text/html' } }],
        totalCount: 1,
      });
      // Without expand, no flags.
      expect((await get('/api/v2/applications/cafe-api')).body.flags).toBeUndefined();
    } finally {
      client.close();
    }
  });

  it('client-side requests add browser applications, mobile ones mobile applications', async () => {
    const environment = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body;
    const context = encodeContext({ kind: 'user', key: 'ada' });
    const web = await s.get(`/sdk/evalx/${environment._id}/contexts/${context}`, { token: null, headers: { 'X-LaunchDarkly-Tags': 'application-id/cafe-web application-version/7' } });
    expect(web.status).toBe(200);
    const phone = await s.get(`/msdk/evalx/contexts/${context}`, { token: environment.mobileKey, headers: { 'X-LaunchDarkly-Tags': 'application-id/cafe-ios application-name/Cafe' } });
    expect(phone.status).toBe(200);
    expect(await stored('cafe-web')).toMatchObject({ kind: 'browser', name: 'cafe-web', autoAdded: true });
    expect(await stored('cafe-ios')).toMatchObject({ kind: 'mobile', name: 'Cafe', autoAdded: true });
    // No version tag, no version.
    expect((await get('/api/v2/applications/cafe-ios/versions')).body).toMatchObject({ items: [], totalCount: 0 });
  });

  it('a request from a known application and version writes nothing', async () => {
    const tags = { 'X-LaunchDarkly-Tags': 'application-id/known application-version/1' };
    expect((await s.get('/sdk/latest-all', { token: sdkKey, headers: tags })).status).toBe(200);
    await stored('known');
    await vi.waitFor(async () => expect((await get('/api/v2/applications/known/versions')).body.totalCount).toBe(1));
    const tx = vi.spyOn(s.store, 'tx');
    try {
      for (let i = 0; i < 3; i++) expect((await s.get('/sdk/latest-all', { token: sdkKey, headers: tags })).status).toBe(200);
      expect(tx).not.toHaveBeenCalled();
    } finally {
      tx.mockRestore();
    }
  });

  it('an application or version deleted is added again, as new, when an SDK names it next', async () => {
    const tags = { 'X-LaunchDarkly-Tags': 'application-id/phoenix application-version/1' };
    await s.get('/sdk/latest-all', { token: sdkKey, headers: tags });
    await stored('phoenix');
    await vi.waitFor(async () => expect((await get('/api/v2/applications/phoenix/versions')).body.totalCount).toBe(1));
    expect((await s.del('/api/v2/applications/phoenix/versions/1', BETA)).status).toBe(204);
    now = T0 + 1_000;
    await s.get('/sdk/latest-all', { token: sdkKey, headers: tags });
    await vi.waitFor(async () => expect((await get('/api/v2/applications/phoenix/versions')).body.items).toMatchObject([{ key: '1', creationDate: T0 + 1_000 }]));

    expect((await s.patch('/api/v2/applications/phoenix', [{ op: 'replace', path: '/kind', value: 'mobile' }], BETA)).status).toBe(200);
    expect((await s.del('/api/v2/applications/phoenix', BETA)).status).toBe(204);
    now = T0 + 2_000;
    await s.get('/sdk/latest-all', { token: sdkKey, headers: tags });
    expect(await stored('phoenix')).toMatchObject({ kind: 'server', _version: 1, creationDate: T0 + 2_000 });
    await vi.waitFor(async () => expect((await get('/api/v2/applications/phoenix/versions')).body.totalCount).toBe(1));
  });

  it('tags no SDK would send, and requests without a valid credential, add nothing', async () => {
    const sent = [
      ['application-id/bad!chars', sdkKey],
      [`application-id/${'x'.repeat(65)}`, sdkKey],
      ['application-id/', sdkKey],
      ['application-id/not-authenticated', 'sdk-not-a-key'],
    ];
    for (const [tags, token] of sent) await s.get('/sdk/latest-all', { token, headers: { 'X-LaunchDarkly-Tags': tags } });
    // A valid application named after them is added: the ones before it were not.
    await s.get('/sdk/latest-all', { token: sdkKey, headers: { 'X-LaunchDarkly-Tags': 'application-id/marker' } });
    await stored('marker');
    const keys = (await get('/api/v2/applications?limit=100')).body.items.map((item: { key: string }) => item.key);
    expect(keys).not.toContain('not-authenticated');
    expect(keys.filter((key: string) => key.startsWith('bad') || key.startsWith('x'))).toEqual([]);
  });
});
