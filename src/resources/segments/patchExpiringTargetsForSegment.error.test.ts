// Segment expiring-target patches refused whole, and unknown segments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchExpiringTargetsForSegment: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    await s.post('/api/v2/segments/shop/production', { key: 'seg', name: 'Seg' });
  });
  afterAll(() => s.close());

  it('400 naming the instruction and field; 404 for an unknown segment', async () => {
    const path = '/api/v2/segments/shop/seg/expiring-targets/production';
    const cases: [unknown, string][] = [
      [{ instructions: [{ kind: 'addExpiringTarget', targetType: 'sideways', contextKey: 'a', contextKind: 'user', value: 1 }] }, 'instructions[0].targetType'],
      [{ instructions: [{ kind: 'addExpiringTarget', variationId: 'v', contextKey: 'a', contextKind: 'user', value: 1 }] }, 'instructions[0].targetType'],
      [{ instructions: [{ kind: 'addExpireUserTargetDate', targetType: 'included', userKey: 'a', value: 1 }] }, 'instructions[0].kind'],
    ];
    for (const [body, attribute] of cases) {
      const res = await s.patch(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toContain(attribute);
    }
    expect((await s.get('/api/v2/segments/shop/nope/expiring-targets/production')).status).toBe(404);
    expect((await s.patch('/api/v2/segments/shop/nope/expiring-targets/production', { instructions: [{ kind: 'removeExpiringTarget', targetType: 'included', contextKey: 'a', contextKind: 'user' }] })).status).toBe(404);
  });
});
