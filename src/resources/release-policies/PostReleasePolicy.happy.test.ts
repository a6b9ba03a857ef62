// Release policies (beta): created ranked last (201, LaunchDarkly's example body), read, listed by rank (the default,
// unscoped ones left out on `excludeDefault=true`), reordered, replaced and deleted (the rest move up); each change audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const POLICIES = '/api/v2/projects/shop/release-policies';
const STAGES = [
  { allocation: 25000, durationMillis: 60000 },
  { allocation: 50000, durationMillis: 60000 },
];

describe('release policies', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/metrics/shop', { key: 'http-errors', name: 'HTTP errors', kind: 'custom', eventKey: 'http-error', isNumeric: false })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('201 with the policy, ranked last', async () => {
    const guarded = {
      key: 'production-release',
      name: 'Production Release',
      releaseMethod: 'guarded-release',
      scope: { environmentKeys: ['production'], flagTagKeys: ['frontend'] },
      guardedReleaseConfig: { rolloutContextKindKey: 'user', minSampleSize: 100, rollbackOnRegression: true, metricKeys: ['http-errors'], stages: STAGES },
    };
    const res = await s.post(POLICIES, guarded, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { key, ...rest } = guarded;
    expect(res.body).toEqual({ _id: expect.stringMatching(/^[0-9a-f]{24}$/), key, rank: 1, ...rest });
    const entry = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    expect((await s.get(`/api/v2/auditlog/${entry._id}`)).body).toMatchObject({ accesses: [{ action: 'createReleasePolicy', resource: 'proj/shop:release-policy/production-release' }] });
    const progressive = await s.post(POLICIES, { key: 'everywhere', name: 'Everywhere', releaseMethod: 'progressive-release', progressiveReleaseConfig: { stages: STAGES } }, BETA);
    expect(progressive.body.rank).toBe(2);
    expect((await s.get(`${POLICIES}/everywhere`, BETA)).body).toEqual(progressive.body);
  });

  it('listed by rank; excludeDefault leaves out the policies that name no environment', async () => {
    const all = (await s.get(POLICIES, BETA)).body;
    expect(all.totalCount).toBe(2);
    expect(all.items.map((p: { key: string }) => p.key)).toEqual(['production-release', 'everywhere']);
    expect((await s.get(`${POLICIES}?excludeDefault=true`, BETA)).body.items.map((p: { key: string }) => p.key)).toEqual(['production-release']);
  });

  it('order: 200 with the policies in their new ranks', async () => {
    const res = await s.post(`${POLICIES}/order`, ['everywhere', 'production-release'], BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.map((p: { key: string; rank: number }) => [p.key, p.rank])).toEqual([
      ['everywhere', 1],
      ['production-release', 2],
    ]);
  });

  it('PUT replaces all but the key and rank; DELETE moves the rest up', async () => {
    const res = await s.put(`${POLICIES}/everywhere`, { name: 'Progressive', releaseMethod: 'progressive-release', scope: { environmentKeys: ['test'] } }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ _id: expect.any(String), key: 'everywhere', rank: 1, name: 'Progressive', releaseMethod: 'progressive-release', scope: { environmentKeys: ['test'] } });
    expect((await s.del(`${POLICIES}/everywhere`, BETA)).status).toBe(204);
    expect((await s.get(`${POLICIES}/production-release`, BETA)).body.rank).toBe(1);
  });
});
