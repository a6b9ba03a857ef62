// sdk-active: 404 naming an unknown project or environment; 400 for a parameter given twice; nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { usageWorld, type UsageWorld } from '../../../test/support/usage.js';

describe('getSdkActive: errors', () => {
  let u: UsageWorld;
  beforeAll(async () => {
    u = await usageWorld();
  });
  afterAll(() => u.s.close());

  it('404 naming the project or the environment', async () => {
    const project = await u.s.get('/api/v2/projects/nope/environments/production/sdk-active');
    expect(project.status).toBe(404);
    expect(project.body).toEqual({ code: 'not_found', message: expect.stringContaining('"nope"') });
    const env = await u.s.get('/api/v2/projects/shop/environments/staging/sdk-active');
    expect(env.status).toBe(404);
    expect(env.body.code).toBe('not_found');
    expect(env.body.message).toContain('"staging"');
  });

  it('400 naming a parameter given twice; asking writes nothing', async () => {
    for (const name of ['sdk_name', 'sdk_wrapper_name', 'purpose']) {
      let status = 0;
      let body: { code?: string; message?: string } = {};
      expect(
        await changedBy(u.s.store, async () => {
          const res = await u.s.get(`/api/v2/projects/shop/environments/production/sdk-active?${name}=a&${name}=b`);
          ({ status, body } = res);
        }),
      ).toBe(false);
      expect(status).toBe(400);
      expect(body.code).toBe('invalid_request');
      expect(body.message).toContain(`${name}: may be given once`);
    }
  });
});
