import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const LINKS = (p: string) => ({ parent: { href: `/api/v2/projects/${p}`, type: 'application/json' }, self: { href: `/api/v2/projects/${p}/flag-defaults`, type: 'application/json' } });

describe('getFlagDefaultsByProject: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Web', key: 'web', defaultClientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true } });
  });
  afterAll(() => s.close());

  it("a project never given flag defaults has LaunchDarkly's, with the project's client-side availability", async () => {
    const res = await s.get('/api/v2/projects/shop/flag-defaults');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      _links: LINKS('shop'),
      tags: [],
      temporary: true,
      booleanDefaults: { trueDisplayName: 'True', falseDisplayName: 'False', trueDescription: '', falseDescription: '', onVariation: 0, offVariation: 1 },
      defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false },
    });
    expect((await s.get('/api/v2/projects/web/flag-defaults')).body.defaultClientSideAvailability).toEqual({ usingMobileKey: false, usingEnvironmentId: true });
  });

  it("shows the project's defaultClientSideAvailability as patchProject leaves it: one setting, two routes", async () => {
    expect((await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/includeInSnippetByDefault', value: true }])).status).toBe(200);
    expect((await s.get('/api/v2/projects/shop/flag-defaults')).body.defaultClientSideAvailability).toEqual({ usingMobileKey: true, usingEnvironmentId: true });
  });

  it('answers what PUT stored', async () => {
    const put = await s.put('/api/v2/projects/web/flag-defaults', {
      tags: ['web'],
      temporary: false,
      booleanDefaults: { trueDisplayName: 'On', falseDisplayName: 'Off', trueDescription: 'serve true', falseDescription: 'serve false', onVariation: 1, offVariation: 0 },
      defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: true },
    });
    expect(put.status).toBe(200);
    const res = await s.get('/api/v2/projects/web/flag-defaults');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(put.body);
  });
});
