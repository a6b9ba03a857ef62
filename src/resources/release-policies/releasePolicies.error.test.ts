// Bad input to the release policy operations: a 400 naming the field and its problem, a 404 naming the missing project
// or policy, a 409 for a key in use; never a partial write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unchangedBy, expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const POLICIES = '/api/v2/projects/shop/release-policies';
const POLICY = { key: 'prod', name: 'Production', releaseMethod: 'guarded-release', scope: { environmentKeys: ['production'] } };

describe('release policies: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(POLICIES, POLICY, BETA)).status).toBe(201);
    expect((await s.post(POLICIES, { ...POLICY, key: 'all', scope: undefined }, BETA)).status).toBe(201);
  });
  afterAll(() => s.close());

  const unchanged = (send: () => Promise<Response>) => unchangedBy(s.store, send);
  const expectInvalid = (send: () => Promise<Response>, message: string) => expectRefused(s.store, send, 400, 'invalid_request', message);

  it('404s name the missing project or policy; 409 for a key in use', async () => {
    const missing: [() => Promise<Response>, string][] = [
      [() => s.get('/api/v2/projects/nope/release-policies', BETA), 'Project "nope" not found'],
      [() => s.post('/api/v2/projects/nope/release-policies/order', [], BETA), 'Project "nope" not found'],
      [() => s.get(`${POLICIES}/nope`, BETA), 'Release policy "nope" in project "shop" not found'],
      [() => s.put(`${POLICIES}/nope`, { name: 'X', releaseMethod: 'guarded-release' }, BETA), 'Release policy "nope" in project "shop" not found'],
      [() => s.del(`${POLICIES}/nope`, BETA), 'Release policy "nope" in project "shop" not found'],
    ];
    for (const [send, message] of missing) {
      const res = await unchanged(send);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message });
    }
    const taken = await unchanged(() => s.post(POLICIES, POLICY, BETA));
    expect(taken.status).toBe(409);
    expect(taken.body.message).toBe('A release policy with key "prod" already exists in project "shop"');
  });

  it('POST and PUT: the body, its method, scope and configuration', async () => {
    await expectInvalid(() => s.post(POLICIES, { name: 'X', releaseMethod: 'guarded-release' }, BETA), 'key: must be present');
    await expectInvalid(() => s.post(POLICIES, { key: 'x', releaseMethod: 'guarded-release' }, BETA), 'name: must be present');
    await expectInvalid(() => s.post(POLICIES, { key: 'x', name: 'X'.repeat(257), releaseMethod: 'guarded-release' }, BETA), 'name: must be at most 256 characters');
    await expectInvalid(() => s.post(POLICIES, { key: 'x', name: 'X', releaseMethod: 'manual' }, BETA), 'releaseMethod: must be one of "guarded-release", "progressive-release"');
    await expectInvalid(() => s.post(POLICIES, { key: 'x', name: 'X', releaseMethod: 'guarded-release', scope: { environmentKeys: ['staging'] } }, BETA), 'scope.environmentKeys[0]: there is no environment "staging" in this project');
    await expectInvalid(() => s.post(POLICIES, { key: 'x', name: 'X', releaseMethod: 'guarded-release', progressiveReleaseConfig: {} }, BETA), 'progressiveReleaseConfig: is not taken by a guarded-release policy');
    await expectInvalid(() => s.post(POLICIES, { key: 'x', name: 'X', releaseMethod: 'guarded-release', guardedReleaseConfig: { metricKeys: ['latency'] } }, BETA), 'guardedReleaseConfig.metricKeys[0]: there is no metric "latency" in this project');
    await expectInvalid(() => s.post(POLICIES, { key: 'x', name: 'X', releaseMethod: 'guarded-release', guardedReleaseConfig: { metricGroupKeys: ['web'] } }, BETA), 'guardedReleaseConfig.metricGroupKeys[0]: there is no metric group "web" in this project');
    await expectInvalid(
      () => s.post(POLICIES, { key: 'x', name: 'X', releaseMethod: 'progressive-release', progressiveReleaseConfig: { stages: [{ allocation: 200000, durationMillis: 1000 }] } }, BETA),
      'progressiveReleaseConfig.stages[0].allocation: must be <= 100000',
    );
    await expectInvalid(() => s.put(`${POLICIES}/prod`, { key: 'renamed', name: 'X', releaseMethod: 'guarded-release' }, BETA), 'key: is not allowed');
    await expectInvalid(() => s.put(`${POLICIES}/prod`, { name: 'X' }, BETA), 'releaseMethod: must be present');
  });

  it('order: every policy once, no other', async () => {
    await expectInvalid(() => s.post(`${POLICIES}/order`, { keys: ['prod'] }, BETA), 'body: must be an array');
    await expectInvalid(() => s.post(`${POLICIES}/order`, ['prod'], BETA), 'body: must list every release policy of the project; missing "all"');
    await expectInvalid(() => s.post(`${POLICIES}/order`, ['prod', 'all', 'nope'], BETA), 'body[2]: there is no release policy "nope" in this project');
    await expectInvalid(() => s.post(`${POLICIES}/order`, ['prod', 'all', 'prod'], BETA), 'body[2]: "prod" is already listed');
  });

  it('excludeDefault is true or false', async () => {
    await expectInvalid(() => s.get(`${POLICIES}?excludeDefault=maybe`, BETA), 'excludeDefault: must be true or false, not "maybe"');
  });
});
