// sdk-active: an API token is needed (SDK and mobile keys are not one); readers may ask; a custom role needs to view
// the project; one environment's SDK traffic never answers for another's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

describe('getSdkActive: security', () => {
  let u: UsageWorld;
  const path = '/api/v2/projects/shop/environments/production/sdk-active';
  beforeAll(async () => {
    u = await usageWorld();
    await u.send('shop/production', [{ kind: 'index', creationDate: u.clock.now, context: ctx('ada') }]);
  });
  afterAll(() => u.s.close());

  it('401 without a valid API token; an SDK key or mobile key is not one', async () => {
    const { sdkKey, mobileKey } = u.env['shop/production'];
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000', sdkKey, mobileKey]) {
      const res = await u.s.get(path, { token });
      expect(res.status, String(token)).toBe(401);
      expect(res.body.code).toBeDefined();
    }
  });

  it('readers may ask; a custom role only with viewProject on the project', async () => {
    const reader = await u.s.get(path, { token: u.s.tokens.reader });
    expect(reader.status).toBe(200);
    expect(reader.body).toEqual({ active: true });
    const role = async (statements: unknown[]) => (await u.s.post('/api/v2/tokens', { name: `r${JSON.stringify(statements).length}`, inlineRole: statements })).body.token as string;
    const labs = await role([{ effect: 'allow', resources: ['proj/labs'], actions: ['viewProject'] }]);
    const refused = await u.s.get(path, { token: labs });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    const shop = await role([{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }]);
    expect((await u.s.get(path, { token: shop })).body).toEqual({ active: true });
  });

  it("another environment's or project's traffic does not answer for this one", async () => {
    await u.send('labs/production', [{ kind: 'index', creationDate: u.clock.now, context: ctx('bob') }]);
    expect((await u.s.get('/api/v2/projects/shop/environments/test/sdk-active')).body).toEqual({ active: false });
  });
});
