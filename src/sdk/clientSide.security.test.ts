// Who the client-side and mobile endpoints answer: the client-side ID needs no secret (it is public), but opens only
// the flags made available to it; the mobile key is a secret, refused when absent or wrong and not taken for an access
// token or an SDK key (nor they for it); each credential sees its own environment only; a reset mobile key stops the
// old one at once. Browsers' preflights are answered without any credential.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const b64 = (context: unknown) => Buffer.from(JSON.stringify(context)).toString('base64url');
const USER = { kind: 'user', key: 'user-1' };

describe('client-side and mobile endpoints: credentials and isolation', () => {
  let s: TestServer;
  let w: World;
  let production: { _id: string; apiKey: string; mobileKey: string };
  let test: { _id: string; apiKey: string; mobileKey: string };
  let other: { _id: string; apiKey: string; mobileKey: string };
  const environment = async (project: string, env: string) => (await s.get(`/api/v2/projects/${project}/environments/${env}`)).body;
  const flag = async (project: string, key: string, usingEnvironmentId: boolean, usingMobileKey: boolean) => {
    const res = await s.post(`/api/v2/flags/${project}`, { name: key, key, clientSideAvailability: { usingEnvironmentId, usingMobileKey } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const mobileGet = (key: string | null, context: unknown = USER) => s.get(`/msdk/evalx/contexts/${b64(context)}`, { token: key });
  const mobileReport = (key: string | null, context: unknown = USER) => s.request('REPORT', '/msdk/evalx/context', { body: context, token: key });
  const clientGet = (envId: string, context: unknown = USER, token: string | null = null) => s.get(`/sdk/evalx/${envId}/contexts/${b64(context)}`, { token });
  const clientReport = (envId: string, context: unknown = USER) => s.request('REPORT', `/sdk/evalx/${envId}/context`, { body: context, token: null });

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    // The world's flag: neither. Then one of each availability.
    const hidden = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/clientSideAvailability', value: { usingEnvironmentId: false, usingMobileKey: false } }]);
    expect(hidden.status).toBe(200);
    await flag(w.project, 'both', true, true);
    await flag(w.project, 'client-only', true, false);
    await flag(w.project, 'mobile-only', false, true);
    // Targeting differs between the project's environments.
    expect((await s.patch(`/api/v2/flags/${w.project}/both`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    await createWorld(s, 'other');
    await flag('other', 'other-secret', true, true);
    production = await environment(w.project, 'production');
    test = await environment(w.project, 'test');
    other = await environment('other', 'production');
  });
  afterAll(() => s.close());

  it('the client-side ID needs no access token; an access token sent along changes nothing', async () => {
    const anonymous = await clientGet(production._id);
    expect(anonymous.status).toBe(200);
    const withToken = await clientGet(production._id, USER, s.tokens.admin);
    expect(withToken.status).toBe(200);
    expect(withToken.body).toEqual(anonymous.body);
  });

  it('client-side ID: only flags with usingEnvironmentId; mobile key: only flags with usingMobileKey', async () => {
    for (const res of [await clientGet(production._id), await clientReport(production._id)]) {
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['both', 'client-only']);
    }
    for (const res of [await mobileGet(production.mobileKey), await mobileReport(production.mobileKey)]) {
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['both', 'mobile-only']);
    }
  });

  it("each credential gets its own environment's targeting, never another project's flags", async () => {
    expect((await clientGet(production._id)).body.both).toMatchObject({ value: true, variation: 0 });
    expect((await clientGet(test._id)).body.both).toMatchObject({ value: false, variation: 1 });
    expect((await mobileGet(test.mobileKey)).body.both).toMatchObject({ value: false, variation: 1 });
    expect((await mobileGet(production.mobileKey)).body.both).toMatchObject({ value: true, variation: 0 });
    for (const res of [await clientGet(production._id), await mobileGet(production.mobileKey), await clientGet(test._id), await mobileGet(test.mobileKey)]) {
      expect(JSON.stringify(res.body)).not.toContain('other-secret');
    }
    expect(Object.keys((await clientGet(other._id)).body)).toEqual(['other-secret']);
    // A new flag is available to mobile SDKs by default (the project's defaultClientSideAvailability).
    expect(Object.keys((await mobileGet(other.mobileKey)).body).sort()).toEqual(['checkout-button', 'other-secret']);
  });

  it('mobile routes: 401 without a key, with a wrong key, an SDK key, a client-side ID or an access token', async () => {
    const refused: [string, string | null][] = [
      ['none', null],
      ['empty', ''],
      ['wrong', 'mob-00000000-0000-0000-0000-000000000000'],
      ['SDK key', production.apiKey],
      ['client-side ID', production._id],
      ['api_key SDK key', `api_key ${production.apiKey}`],
      ...Object.entries(s.tokens).map(([role, token]) => [`${role} access token`, token] as [string, string]),
    ];
    const events = [{ kind: 'custom', key: 'k', context: USER }];
    for (const [what, key] of refused) {
      const responses = [
        await mobileGet(key),
        await mobileReport(key),
        await s.get(`/meval/${b64(USER)}`, { token: key }),
        await s.request('REPORT', '/meval', { body: USER, token: key }),
        await s.post('/mobile/events/bulk', events, { token: key }),
        await s.post('/mobile/events', events, { token: key }),
        await s.post('/mobile', events, { token: key }),
        await s.post('/mobile/events/diagnostic', { kind: 'diagnostic' }, { token: key }),
      ];
      for (const res of responses) {
        expect(res.status, what).toBe(401);
        expect(res.body).toEqual({ code: 'unauthorized', message: "Invalid mobile key: send an environment's mobile key as the Authorization header" });
      }
    }
    expect(s.app.clientStreams.connections).toBe(0);
    expect((await s.store.db.selectFrom('sdk_events').select('id').execute()).length).toBe(0);
  });

  it("the mobile key as the whole Authorization header, or after 'api_key '", async () => {
    expect((await mobileGet(production.mobileKey)).status).toBe(200);
    expect((await mobileGet(`api_key ${production.mobileKey}`)).status).toBe(200);
    expect((await mobileReport(`api_key ${production.mobileKey}`)).status).toBe(200);
  });

  it('a mobile key is not an SDK key, nor an access token', async () => {
    expect((await s.get('/sdk/latest-all', { token: production.mobileKey })).status).toBe(401);
    for (const path of ['/api/v2/projects', `/api/v2/flags/${w.project}`, `/api/v2/projects/${w.project}/environments/production`]) {
      const res = await s.get(path, { token: production.mobileKey });
      expect(res.status, path).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
    // Nor is a client-side ID.
    expect((await s.get('/api/v2/projects', { token: production._id })).status).toBe(401);
    expect((await s.get('/sdk/latest-all', { token: production._id })).status).toBe(401);
  });

  it('secure mode is for the client-side ID: the mobile key needs no hash', async () => {
    const on = await s.patch(`/api/v2/projects/${w.project}/environments/production`, [{ op: 'replace', path: '/secureMode', value: true }]);
    expect(on.status).toBe(200);
    try {
      expect((await clientGet(production._id)).status).toBe(400);
      expect((await mobileGet(production.mobileKey)).status).toBe(200);
      expect((await mobileReport(production.mobileKey)).status).toBe(200);
    } finally {
      await s.patch(`/api/v2/projects/${w.project}/environments/production`, [{ op: 'replace', path: '/secureMode', value: false }]);
    }
  });

  it('OPTIONS preflight on the client-side routes: 204 with the CORS headers, no credential, any client-side ID', async () => {
    const paths = [
      `/sdk/evalx/${production._id}/contexts/${b64(USER)}`,
      `/sdk/evalx/${production._id}/context`,
      `/eval/${production._id}/${b64(USER)}`,
      `/eval/${production._id}`,
      `/sdk/goals/${production._id}`,
      `/events/bulk/${production._id}`,
      `/events/diagnostic/${production._id}`,
      '/sdk/evalx/5f0000000000000000000000/context',
    ];
    for (const path of paths) {
      const res = await s.request('OPTIONS', path, {
        token: null,
        headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'REPORT', 'access-control-request-headers': 'content-type, x-launchdarkly-user-agent' },
      });
      expect(res.status, path).toBe(204);
      expect(res.body).toBe('');
      expect(res.headers['access-control-allow-origin'], path).toBe('*');
      const methods = String(res.headers['access-control-allow-methods']).split(/,\s*/);
      expect(methods).toEqual(expect.arrayContaining(['GET', 'REPORT', 'POST']));
      const allowed = String(res.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-launchdarkly-user-agent', 'x-launchdarkly-payload-id', 'x-launchdarkly-event-schema', 'x-launchdarkly-wrapper']));
    }
  });

  it('client-side answers carry Access-Control-Allow-Origin: * (success and error); mobile answers need none', async () => {
    const ok = await s.get(`/sdk/evalx/${production._id}/contexts/${b64(USER)}`, { token: null, headers: { origin: 'https://shop.example.com' } });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    expect(String(ok.headers['access-control-expose-headers']).toLowerCase()).toContain('etag');
    const goals = await s.get(`/sdk/goals/${production._id}`, { token: null });
    expect(goals.status).toBe(200);
    expect(goals.body.map((goal: { key: string }) => goal.key)).toEqual(['cart-viewed']);
    expect(goals.headers['access-control-allow-origin']).toBe('*');
    const bad = await s.get(`/sdk/evalx/${production._id}/contexts/!!!`, { token: null });
    expect(bad.status).toBe(400);
    expect(bad.headers['access-control-allow-origin']).toBe('*');
  });

  it('a reset mobile key: the old key is refused on the next poll, the new one answered', async () => {
    const old = test.mobileKey;
    expect((await mobileGet(old)).status).toBe(200);
    const byReader = await s.post(`/api/v2/projects/${w.project}/environments/test/mobileKey`, undefined, { token: s.tokens.reader });
    expect(byReader.status).toBe(403);
    expect((await mobileGet(old)).status).toBe(200);
    const reset = await s.post(`/api/v2/projects/${w.project}/environments/test/mobileKey`, undefined);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    const fresh = reset.body.mobileKey as string;
    expect(fresh).not.toBe(old);
    expect(reset.body.apiKey).toBe(test.apiKey);
    expect(reset.body._id).toBe(test._id);
    for (const res of [await mobileGet(old), await mobileReport(old), await s.post('/mobile/events/bulk', [{ kind: 'custom', key: 'k', context: USER }], { token: old })]) {
      expect(res.status).toBe(401);
    }
    const now = await mobileGet(fresh);
    expect(now.status).toBe(200);
    expect(Object.keys(now.body).sort()).toEqual(['both', 'mobile-only']);
    // The SDK key and the client-side ID are untouched; other environments' mobile keys too.
    expect((await clientGet(test._id)).status).toBe(200);
    expect((await s.get('/sdk/latest-all', { token: test.apiKey })).status).toBe(200);
    expect((await mobileGet(production.mobileKey)).status).toBe(200);
    test = await environment(w.project, 'test');
    expect(test.mobileKey).toBe(fresh);
  });
});
