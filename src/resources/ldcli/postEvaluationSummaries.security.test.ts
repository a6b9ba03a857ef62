// evaluationSummaries: an API token is needed; readers may ask; a custom role must view the project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageWorld, type UsageWorld } from '../../../test/support/usage.js';

describe('postEvaluationSummaries: security', () => {
  let u: UsageWorld;
  const path = '/internal/projects/shop/evaluationSummaries';
  const body = { flagKeys: ['checkout'], environmentKeys: ['production'], from: 0, to: Date.UTC(2030, 0, 1) };
  beforeAll(async () => {
    u = await usageWorld();
  });
  afterAll(() => u.s.close());

  it('401 without a valid API token (an SDK key is not one)', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000', u.env['shop/production'].sdkKey]) {
      const res = await u.s.post(path, body, { token });
      expect(res.status, String(token)).toBe(401);
    }
  });

  it('readers may ask; a custom role only with viewProject on the project', async () => {
    expect((await u.s.post(path, body, { token: u.s.tokens.reader })).status).toBe(200);
    const role = async (statements: unknown[]) => (await u.s.post('/api/v2/tokens', { name: `r${JSON.stringify(statements).length}`, inlineRole: statements })).body.token as string;
    const labs = await role([{ effect: 'allow', resources: ['proj/labs'], actions: ['viewProject'] }]);
    const refused = await u.s.post(path, body, { token: labs });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    const shop = await role([{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }]);
    expect((await u.s.post(path, body, { token: shop })).status).toBe(200);
  });
});
