// The flag version SDKs are served is the environment's configuration version, the number REST shows as
// environments[env].version: targeting changed in one environment moves only that environment's; the flag's
// variations or client-side availability move every environment's; its name, description or tags move none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('SDK flag versions', () => {
  let s: TestServer;
  const keys: Record<string, string> = {};
  const path = '/api/v2/flags/shop/banner';
  const served = async (env: string) => (await s.get('/sdk/latest-flags/banner', { token: keys[env] })).body as { version: number; variations: unknown[] };
  const rest = async () => (await s.get(path)).body.environments as Record<string, { version: number }>;
  const both = async () => {
    const r = await rest();
    const out: Record<string, [number, number]> = {};
    for (const env of ['production', 'test']) out[env] = [(await served(env)).version, r[env].version];
    return out;
  };

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { name: 'Banner', key: 'banner', variations: [{ value: 'small' }, { value: 'big' }] })).status).toBe(201);
    for (const env of ['production', 'test']) keys[env] = await sdkKeyOf(s, 'shop', env);
  });
  afterAll(() => s.close());

  it('is REST environments[env].version, and moves with that environment\'s targeting only', async () => {
    expect(await both()).toEqual({ production: [1, 1], test: [1, 1] });
    expect((await s.patch(path, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    expect((await s.patch(path, [{ op: 'replace', path: '/environments/production/on', value: false }])).status).toBe(200);
    expect(await both()).toEqual({ production: [3, 3], test: [1, 1] });
  });

  it("the flag's name, description and tags move no environment's version, and the SDKs are sent nothing new", async () => {
    const before = await both();
    const etag = (await s.get('/sdk/latest-flags/banner', { token: keys.test })).headers.etag as string;
    const res = await s.patch(path, [
      { op: 'replace', path: '/name', value: 'Big banner' },
      { op: 'replace', path: '/description', value: 'Shown on top' },
      { op: 'add', path: '/tags', value: ['ui'] },
    ]);
    expect(res.status).toBe(200);
    expect(await both()).toEqual(before);
    expect((await s.get('/sdk/latest-flags/banner', { token: keys.test, headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it("the flag's variations and client-side availability move every environment's version by one", async () => {
    const before = await both();
    expect((await s.patch(path, [{ op: 'replace', path: '/variations/1/value', value: 'huge' }])).status).toBe(200);
    expect((await s.patch(path, [{ op: 'replace', path: '/variations/0/name', value: 'Yes' }])).status).toBe(200);
    const after = await both();
    for (const env of ['production', 'test']) expect(after[env]).toEqual([before[env][0] + 1, before[env][1] + 1]);
    expect((await s.patch(path, [{ op: 'replace', path: '/clientSideAvailability/usingEnvironmentId', value: true }])).status).toBe(200);
    const again = await both();
    for (const env of ['production', 'test']) expect(again[env]).toEqual([after[env][0] + 1, after[env][1] + 1]);
    expect((await served('test')).variations).toEqual(['small', 'huge']);
  });
});
