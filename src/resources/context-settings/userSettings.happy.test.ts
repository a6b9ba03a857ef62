// The legacy User settings: each flag's value for a user and the user's own setting (getUserFlagSettings,
// getUserFlagSetting), and putFlagSetting, which sets it as putContextFlagSetting does for a user context. The user
// is evaluated with the attributes the SDKs' events last carried, or by its key alone when never seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BASE = '/api/v2/users/shop/production';

describe('User settings', () => {
  let s: TestServer;
  let sdkKey: string;
  beforeAll(async () => {
    s = await startServer();
    const project = await s.post('/api/v2/projects', { key: 'shop', name: 'Shop', environments: [{ key: 'production', name: 'Production', color: '000000' }, { key: 'staging', name: 'Staging', color: '000000' }] });
    expect(project.status).toBe(201);
    sdkKey = project.body.environments[0].apiKey;
    expect((await s.post('/api/v2/flags/shop', { key: 'sort.order', name: 'Sort order' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'alternate.page', name: 'Alternate page', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'gone', name: 'Archived' })).status).toBe(201);
    expect((await s.patch('/api/v2/flags/shop/gone', [{ op: 'replace', path: '/archived', value: true }])).status).toBe(200);
    // sort.order: on, serving true to users in Germany, false to everyone else.
    const on = await s.patch('/api/v2/flags/shop/sort.order', {
      environmentKey: 'production',
      instructions: [
        { kind: 'turnFlagOn' },
        { kind: 'addRule', clauses: [{ contextKind: 'user', attribute: 'country', op: 'in', values: ['de'] }], variationId: (await s.get('/api/v2/flags/shop/sort.order')).body.variations[0]._id },
        { kind: 'updateFallthroughVariationOrRollout', variationId: (await s.get('/api/v2/flags/shop/sort.order')).body.variations[1]._id },
      ],
    }, { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } });
    expect(on.status).toBe(200);
  });
  afterAll(() => s.close());

  it("every flag's value for a user never seen (by key alone), no setting; archived flags left out; LaunchDarkly's links", async () => {
    const res = await s.get(`${BASE}/Abbie_Braun/flags`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: {
        'alternate.page': { _links: { self: { href: `${BASE}/Abbie_Braun/flags/alternate.page`, type: 'application/json' } }, _value: 'c', setting: null },
        'sort.order': { _links: { self: { href: `${BASE}/Abbie_Braun/flags/sort.order`, type: 'application/json' } }, _value: false, setting: null },
      },
      _links: { self: { href: `${BASE}/Abbie_Braun/flags`, type: 'application/json' } },
    });
    expect((await s.get(`${BASE}/Abbie_Braun/flags/sort.order`)).body).toEqual(res.body.items['sort.order']);
  });

  it('a user the SDKs have seen is evaluated with the attributes they last sent', async () => {
    const sent = await s.request('POST', '/bulk', { body: [{ kind: 'identify', creationDate: Date.now(), context: { kind: 'user', key: 'hans', country: 'de' } }], token: sdkKey });
    expect(sent.status).toBe(202);
    expect((await s.get(`${BASE}/hans/flags/sort.order`)).body).toMatchObject({ _value: true, setting: null });
    // Seen only in another environment: there, by key alone.
    expect((await s.get('/api/v2/users/shop/staging/hans/flags/sort.order')).body).toMatchObject({ _value: false, setting: null });
  });

  it('putFlagSetting: 204; the user is served the variation set (setting shows it), then null takes it away', async () => {
    const put = await s.put(`${BASE}/Abbie_Braun/flags/sort.order`, { setting: true, comment: 'make sure' });
    expect(put.status).toBe(204);
    expect((await s.get(`${BASE}/Abbie_Braun/flags/sort.order`)).body).toMatchObject({ _value: true, setting: true });
    // It is an individual target of the flag, as LaunchDarkly's context targets are, audited with the comment.
    const flag = (await s.get('/api/v2/flags/shop/sort.order?env=production')).body;
    expect(flag.environments.production.targets).toEqual([expect.objectContaining({ values: ['Abbie_Braun'], variation: 0 })]);
    const entry = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    expect(entry).toMatchObject({ comment: 'make sure' });

    const other = await s.put(`${BASE}/Abbie_Braun/flags/alternate.page`, { setting: 'a' });
    expect(other.status).toBe(204);
    // The flag is off in production: its off variation (the last) is served, whatever the setting.
    expect((await s.get(`${BASE}/Abbie_Braun/flags/alternate.page`)).body).toMatchObject({ _value: 'c', setting: 'a' });

    expect((await s.put(`${BASE}/Abbie_Braun/flags/sort.order`, {})).status).toBe(204);
    expect((await s.get(`${BASE}/Abbie_Braun/flags/sort.order`)).body).toMatchObject({ _value: false, setting: null });
    expect((await s.put(`${BASE}/Abbie_Braun/flags/alternate.page`, { setting: null })).status).toBe(204);
    expect((await s.get(`${BASE}/Abbie_Braun/flags`)).body.items['alternate.page'].setting).toBeNull();
  });

  it('a user context target set by putContextFlagSetting shows as the setting too', async () => {
    expect((await s.put('/api/v2/projects/shop/environments/production/contexts/user/carla/flags/sort.order', { setting: false })).status).toBe(204);
    expect((await s.get(`${BASE}/carla/flags/sort.order`)).body).toMatchObject({ _value: false, setting: false });
  });
});
