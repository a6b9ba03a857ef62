// Account usage: every token must be valid (an SDK key or mobile key is not one), the header LD-API-Version: beta is
// required; the account's figures are read by every token (readers included, as the audit log is: LaunchDarkly
// documents no action for usage), a flag's evaluations by those that may view its project. A request's figures never
// reach another environment's or project's; a context key too long for an index is kept as its hash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { BETA, ctx, queryString, summary, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const PATHS = [
  '/api/v2/usage/clientside-contexts',
  '/api/v2/usage/clientside-mau',
  '/api/v2/usage/data-export-events',
  '/api/v2/usage/evaluations/shop/production/checkout',
  '/api/v2/usage/events/received',
  '/api/v2/usage/experimentation-events',
  '/api/v2/usage/experimentation-keys',
  '/api/v2/usage/mau',
  '/api/v2/usage/mau/bycategory',
  '/api/v2/usage/mau/sdks',
  '/api/v2/usage/observability/errors',
  '/api/v2/usage/observability/logs',
  '/api/v2/usage/observability/metrics',
  '/api/v2/usage/observability/sessions',
  '/api/v2/usage/observability/traces',
  '/api/v2/usage/sdk-versions/details',
  '/api/v2/usage/serverside-contexts',
  '/api/v2/usage/service-connections',
  '/api/v2/usage/streams/server',
  '/api/v2/usage/streams/server/bysdkversion',
  '/api/v2/usage/streams/server/sdkversions',
  '/api/v2/usage/total-contexts',
  '/api/v2/usage/total-mau',
  '/api/v2/usage/vega-ai',
  '/api/v2/usage/ai-runs',
  '/api/v2/usage/sdk-versions/all',
  '/api/v2/usage/warehouse-export',
];

describe('account usage: security', () => {
  let w: UsageWorld;
  beforeAll(async () => {
    w = await usageWorld();
    await w.send('shop/production', [{ kind: 'index', creationDate: w.clock.now, context: ctx('alice@example.com') }, summary({ checkout: { 0: 5 } }, w.clock.now)]);
  });
  afterAll(() => w.s.close());

  it('27 operations, one per path', () => {
    expect(new Set(PATHS).size).toBe(27);
  });

  it('401 without a valid token (SDK and mobile keys are not API tokens); 403 without LD-API-Version: beta; reading writes nothing', async () => {
    const { sdkKey, mobileKey } = w.env['shop/production'];
    for (const path of PATHS) {
      for (const token of [null, 'api-00000000-0000-4000-8000-000000000000', sdkKey, mobileKey]) {
        const res = await w.usage(path, {}, { token });
        expect(res.status, `${path} ${token}`).toBe(401);
      }
      const plain = await w.s.get(path);
      expect(plain.status, path).toBe(403);
      expect(plain.body.message).toContain('LD-API-Version: beta');
      expect(await changedBy(w.s.store, async () => expect((await w.usage(path)).status, path).toBe(200))).toBe(false);
    }
  });

  it("readers read every figure; a custom role reads the account figures, and a flag's evaluations only with viewProject", async () => {
    for (const path of PATHS) expect((await w.usage(path, {}, { token: w.s.tokens.reader })).status, path).toBe(200);
    const role = async (statements: unknown[]) => {
      const made = await w.s.post('/api/v2/tokens', { name: `role ${JSON.stringify(statements).length}`, inlineRole: statements });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body.token as string;
    };
    const labsOnly = await role([{ effect: 'allow', resources: ['proj/labs'], actions: ['viewProject'] }]);
    for (const path of PATHS.filter((p) => !p.includes('/evaluations/'))) expect((await w.usage(path, {}, { token: labsOnly })).status, path).toBe(200);
    const refused = await w.usage('/api/v2/usage/evaluations/shop/production/checkout', {}, { token: labsOnly });
    expect(refused.status).toBe(403);
    const shop = await role([{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }]);
    const allowed = await w.usage('/api/v2/usage/evaluations/shop/production/checkout', {}, { token: shop });
    expect(allowed.status).toBe(200);
    expect(allowed.body.series.at(-1)[0]).toBe(5);
    const denied = await role([{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }, { effect: 'deny', resources: ['proj/shop'], actions: ['viewProject'] }]);
    expect((await w.usage('/api/v2/usage/evaluations/shop/production/checkout', {}, { token: denied })).status).toBe(403);
  });

  it('figures stay in their environment and project; a very long context key is kept as its hash', async () => {
    const long = 'k'.repeat(5000);
    await w.send('labs/production', [{ kind: 'index', creationDate: w.clock.now, context: ctx(long, 'device') }]);
    const keys = await w.s.store.db.selectFrom('usage_series_keys').select('key_hash').execute();
    expect(keys.map((k) => k.key_hash)).toContain('user:alice@example.com');
    expect(JSON.stringify(keys)).not.toContain('kkkkkkkkkk');
    expect((await w.usage('/api/v2/usage/total-contexts', { projectKey: 'labs', contextKind: 'device' })).body.series.at(-1)[0]).toBe(1);
    const test = await w.usage('/api/v2/usage/total-mau', { projectKey: 'shop', environmentKey: 'test' });
    expect(test.body.series.at(-1)[0]).toBe(0);
    const labs = await w.usage('/api/v2/usage/total-mau', { projectKey: 'labs' });
    expect(labs.body.series.at(-1)[0]).toBe(0);
    const shop = await w.usage('/api/v2/usage/total-mau', { projectKey: 'shop' });
    expect(shop.body.series.at(-1)[0]).toBe(1);
    // Another environment's SDK key counts toward its own environment only.
    await w.send('shop/test', [summary({ checkout: { 1: 2 } }, w.clock.now)]);
    const production = await w.usage('/api/v2/usage/evaluations/shop/production/checkout');
    expect(production.body.series.at(-1)).toMatchObject({ 0: 5, 1: 0 });
    const other = await w.usage('/api/v2/usage/evaluations/shop/test/checkout');
    expect(other.body.series.at(-1)).toMatchObject({ 0: 0, 1: 2 });
  });

  it('hostile parameters are refused or escaped, never answered with a 500', async () => {
    for (const value of ["' or 1=1 --", '%00', 'a'.repeat(5000), '<script>']) {
      for (const [path, name] of [
        ['/api/v2/usage/total-contexts', 'projectKey'],
        ['/api/v2/usage/total-contexts', 'sdkName'],
        ['/api/v2/usage/mau', 'groupby'],
        ['/api/v2/usage/streams/server/bysdkversion', 'version'],
      ]) {
        const res = await w.s.get(`${path}${queryString({ [name]: value })}`, { headers: BETA });
        expect(res.status, `${path} ${name}`).toBeLessThan(500);
      }
    }
  });
});
