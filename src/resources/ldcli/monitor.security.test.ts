// ldcli's flag monitor reads: an API token is needed (an SDK key is not one); readers may ask; a custom role must
// view the project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageWorld, type UsageWorld } from '../../../test/support/usage.js';

describe('getMonitorContextKinds and getMonitorContextsCount: security', () => {
  let u: UsageWorld;
  const paths = [
    `/internal/projects/shop/flags/checkout/monitor/contextKinds?filter=${encodeURIComponent('env equals production')}`,
    `/internal/projects/shop/flags/checkout/monitor/contextsCount?filter=${encodeURIComponent('env equals production,contextKind equals user')}`,
  ];
  beforeAll(async () => {
    u = await usageWorld();
  });
  afterAll(() => u.s.close());

  it('401 without a valid API token', async () => {
    for (const path of paths) {
      for (const token of [null, 'api-00000000-0000-4000-8000-000000000000', u.env['shop/production'].sdkKey]) expect((await u.s.get(path, { token })).status, `${path} ${token}`).toBe(401);
    }
  });

  it('readers may ask; a custom role only with viewProject on the project', async () => {
    const role = async (project: string) => (await u.s.post('/api/v2/tokens', { name: `monitor-${project}`, inlineRole: [{ effect: 'allow', resources: [`proj/${project}`], actions: ['viewProject'] }] })).body.token as string;
    const [shop, labs] = [await role('shop'), await role('labs')];
    for (const path of paths) {
      expect((await u.s.get(path, { token: u.s.tokens.reader })).status).toBe(200);
      expect((await u.s.get(path, { token: shop })).status).toBe(200);
      const refused = await u.s.get(path, { token: labs });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('forbidden');
    }
  });
});
