// Expiring-target patches refused whole: bodies that are no semantic patch of these instructions; unknown flags and
// environments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchExpiringTargets: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    await s.post('/api/v2/flags/shop', { key: 'banner', name: 'Banner' });
  });
  afterAll(() => s.close());

  it('400 naming the instruction and field', async () => {
    const path = '/api/v2/flags/shop/banner/expiring-targets/production';
    const cases: [unknown, string][] = [
      [[{ op: 'add', path: '/x', value: 1 }], 'body'],
      [{ instructions: [] }, 'instructions'],
      [{ instructions: [{ kind: 'addExpireUserTargetDate', userKey: 'a', variationId: 'v', value: 1 }] }, 'instructions[0].kind'],
      [{ instructions: [{ kind: 'addExpiringTarget', variationId: 'v', contextKey: 'a', contextKind: 'user' }] }, 'instructions[0].value'],
      [{ instructions: [{ kind: 'removeExpiringTarget', variationId: 'v', contextKind: 'user' }] }, 'instructions[0].contextKey'],
      // UnixMillis: an integer a bigint column holds.
      [{ instructions: [{ kind: 'addExpiringTarget', variationId: 'v', contextKey: 'a', contextKind: 'user', value: 1796342401000.5 }] }, 'instructions[0].value'],
      [{ instructions: [{ kind: 'addExpiringTarget', variationId: 'v', contextKey: 'a', contextKind: 'user', value: 1e20 }] }, 'instructions[0].value'],
    ];
    for (const [body, attribute] of cases) {
      const res = await s.patch(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toContain(attribute);
    }
    const user = await s.patch('/api/v2/flags/shop/banner/expiring-user-targets/production', { instructions: [{ kind: 'addExpiringTarget', variationId: 'v', contextKey: 'a', contextKind: 'user', value: 1 }] });
    expect(user.status).toBe(400);
    expect(user.body.message).toContain('instructions[0].kind');
  });

  it('404 for an unknown project, environment or flag; a variation the flag lacks is an instruction error', async () => {
    const body = { instructions: [{ kind: 'removeExpiringTarget', variationId: 'v', contextKey: 'a', contextKind: 'user' }] };
    expect((await s.patch('/api/v2/flags/nope/banner/expiring-targets/production', body)).status).toBe(404);
    expect((await s.patch('/api/v2/flags/shop/banner/expiring-targets/nope', body)).status).toBe(404);
    expect((await s.patch('/api/v2/flags/shop/nope/expiring-targets/production', body)).status).toBe(404);
    expect((await s.get('/api/v2/flags/shop/nope/expiring-targets/production')).status).toBe(404);
    const res = await s.patch('/api/v2/flags/shop/banner/expiring-targets/production', body);
    expect(res.body.errors).toEqual([{ instructionIndex: 0, message: 'flag "banner" has no variation with the ID "v"' }]);
  });
});
