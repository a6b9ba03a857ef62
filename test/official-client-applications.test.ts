// The official REST client (launchdarkly-api-typescript) reads and manages applications (beta) over real HTTP,
// unchanged: ApplicationsBetaApi.getApplications (filter, limit, offset, sort, expand=flags), getApplication,
// patchApplication, getApplicationVersions, patchApplicationVersion (with LaunchDarkly's example value "false"),
// deleteApplicationVersion, deleteApplication; the applications come from the official Node server-side SDK naming
// itself (`application` option) and posting its events. The generated client does not send LD-API-Version for these
// operations, so the Configuration's baseOptions carry it, as a caller must.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApplicationsBetaApi, Configuration, type ApplicationRep } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { createWorld, type World } from './support/fixtures.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

const T0 = Date.UTC(2026, 2, 1);

describe('Applications through launchdarkly-api-typescript (ApplicationsBetaApi)', () => {
  let s: TestServer;
  let w: World;
  let applications: ApplicationsBetaApi;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => T0 });
    applications = new ApplicationsBetaApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } }));
    w = await createWorld(s, 'cafe');
  });
  afterAll(() => s.close());

  it('an SDK-added application, read, changed and deleted through the client', async () => {
    const sdk = sdkClient(s.url, await sdkKeyOf(s, w.project), { application: { id: 'com.example.cafe', version: '2.0.1' }, sendEvents: true });
    try {
      await sdk.waitForInitialization({ timeout: 10 });
      await sdk.variation(w.flag, { kind: 'user', key: 'ada' }, false);
      await sdk.flush();
    } finally {
      sdk.close();
    }
    const expected: ApplicationRep = {
      flags: {
        items: [{ name: 'Checkout button', key: w.flag, _links: { self: { href: `/api/v2/flags/cafe/${w.flag}`, type: 'application/json' } }, _site: { href: `/cafe/~/features/${w.flag}`, type: 'text/html' } }],
        totalCount: 1,
      },
      _links: { self: { href: '/api/v2/applications/com.example.cafe', type: 'application/json' }, versions: { href: '/api/v2/applications/com.example.cafe/versions', type: 'application/json' } },
      _version: 1,
      autoAdded: true,
      creationDate: T0,
      key: 'com.example.cafe',
      kind: 'server',
      name: 'com.example.cafe',
    };
    await vi.waitFor(async () => expect((await applications.getApplication('com.example.cafe', 'flags')).data).toEqual(expected));
    const listed = await applications.getApplications('kind anyOf ["server"],autoAdded equals true', 10, 0, '-name', 'flags');
    expect(listed.data).toEqual({ _links: { self: { href: expect.stringContaining('/api/v2/applications?'), type: 'application/json' } }, items: [expected], totalCount: 1 });

    const patched = await applications.patchApplication('com.example.cafe', [
      { op: 'replace', path: '/description', value: 'The café app' },
      { op: 'replace', path: '/kind', value: 'mobile' },
    ]);
    const { flags: _flags, ...unexpanded } = expected;
    expect(patched.data).toEqual({ ...unexpanded, description: 'The café app', kind: 'mobile', _version: 2 });

    await vi.waitFor(async () => expect((await applications.getApplicationVersions('com.example.cafe')).data.totalCount).toBe(1));
    const versions = await applications.getApplicationVersions('com.example.cafe', 'supported equals true', 50, 0, 'creationDate');
    expect(versions.data.items).toEqual([
      { _links: { parent: { href: '/api/v2/applications/com.example.cafe', type: 'application/json' } }, _version: 1, autoAdded: true, creationDate: T0, key: '2.0.1', name: '2.0.1', supported: true },
    ]);
    const unsupported = await applications.patchApplicationVersion('com.example.cafe', '2.0.1', [{ op: 'replace', path: '/supported', value: 'false' }]);
    expect(unsupported.data).toMatchObject({ key: '2.0.1', supported: false, _version: 2 });

    expect((await applications.deleteApplicationVersion('com.example.cafe', '2.0.1')).status).toBe(204);
    expect((await applications.deleteApplication('com.example.cafe')).status).toBe(204);
    expect(await clientFailure(applications.getApplication('com.example.cafe'))).toEqual({ status: 404, data: { code: 'not_found', message: 'Application "com.example.cafe" not found' } });
  });

  it('errors: a kind outside the enum, a bad filter', async () => {
    const noBeta = new ApplicationsBetaApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    expect((await clientFailure(noBeta.getApplications())).status).toBe(403);
    const filter = await clientFailure(applications.getApplications('kind equals desktop'));
    expect(filter).toEqual({ status: 400, data: expect.objectContaining({ code: 'invalid_request', message: 'filter: the field "kind" takes browser, mobile, server, not "desktop"' }) });
  });
});
