// A user's scheduled removals across flags: listed together, scheduled per flag, each instruction on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { expireDueTargets } from '../expiring-targets/model.js';

describe('patchExpiringFlagsForUser and getExpiringFlagsForUser', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 11, 4);
  const variations = new Map<string, string[]>();
  const path = '/api/v2/users/shop/sandy/expiring-user-targets/production';
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    for (const key of ['banner', 'checkout']) {
      variations.set(key, (await s.post('/api/v2/flags/shop', { key, name: key })).body.variations.map((v: { _id: string }) => v._id));
      await s.patch(`/api/v2/flags/shop/${key}`, { environmentKey: 'production', instructions: [{ kind: 'addUserTargets', variationId: variations.get(key)![1], values: ['sandy'] }] });
    }
  });
  afterAll(() => s.close());

  it('schedules on two flags, lists them, and the job removes the user from both', async () => {
    const res = await s.patch(path, {
      instructions: [
        { kind: 'addExpireUserTargetDate', flagKey: 'banner', variationId: variations.get('banner')![1], value: clock + 1000 },
        { kind: 'addExpireUserTargetDate', flagKey: 'checkout', variationId: variations.get('checkout')![1], value: clock + 2000 },
        { kind: 'addExpireUserTargetDate', flagKey: 'nope', variationId: 'v', value: clock + 2000 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalInstructions: 3, successfulInstructions: 2, failedInstructions: 1, errors: [{ instructionIndex: 2, message: 'no flag has the key "nope" in project "shop"' }] });
    const listed = (await s.get(path)).body.items;
    expect(listed.map((t: { userKey: string; _resourceId: { flagKey: string } }) => [t.userKey, t._resourceId.flagKey])).toEqual([['sandy', 'banner'], ['sandy', 'checkout']]);
    expect((await s.get('/api/v2/flags/shop/banner/expiring-user-targets/production')).body.items).toHaveLength(1);
    clock += 2000;
    expect(await expireDueTargets(s.deps)).toBe(2);
    for (const key of ['banner', 'checkout']) expect((await s.get(`/api/v2/flags/shop/${key}`)).body.environments.production.targets).toEqual([]);
    expect((await s.get(path)).body.items).toEqual([]);
  });
});
