// A legacy pipeline's release (beta): its phases marked complete and incomplete with LaunchDarkly's JSON Patch, in
// order, without touching the flag's targeting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const RELEASE = '/api/v2/flags/shop/checkout/release';

describe('legacy releases', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
    const phases = [
      { name: 'Testing', audiences: [{ environmentKey: 'test', name: 'Test' }] },
      { name: 'Production', audiences: [{ environmentKey: 'production', name: 'Production' }] },
    ];
    expect((await s.post('/api/v2/projects/shop/release-pipelines', { key: 'legacy', name: 'Legacy', phases, isLegacy: true }, BETA)).status).toBe(201);
    expect((await s.put('/api/v2/projects/shop/flags/checkout/release', { releasePipelineKey: 'legacy' }, BETA)).status).toBe(200);
  });
  afterAll(() => s.close());

  it("marks phases complete (LaunchDarkly's example body) and incomplete; the flag is not changed", async () => {
    const flagVersion = (await s.get('/api/v2/flags/shop/checkout')).body._version;
    const res = await s.patch(RELEASE, [{ op: 'replace', path: '/phases/0/complete', value: true }], BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.phases.map((p: { complete: boolean; status: string }) => [p.complete, p.status])).toEqual([
      [true, 'Complete'],
      [false, 'ReadyToStart'],
    ]);
    expect(res.body._version).toBe(2);
    // The description's spelling, with a comment.
    const both = await s.patch(RELEASE, { comment: 'shipped', patch: [{ op: 'replace', path: '/phase/1/complete', value: true }] }, BETA);
    expect(both.body.phases.every((p: { complete: boolean }) => p.complete)).toBe(true);
    const progression = (await s.get('/api/v2/projects/shop/release-pipelines/legacy/releases', BETA)).body;
    expect(progression).toMatchObject({ activeCount: 0, completedCount: 1 });
    const undone = await s.patch(RELEASE, [{ op: 'replace', path: '/phases/1/complete', value: false }], BETA);
    expect(undone.body.phases[1]).toMatchObject({ complete: false, status: 'ReadyToStart' });
    expect(undone.body.phases[1]._completionDate).toBeUndefined();
    expect((await s.get('/api/v2/flags/shop/checkout')).body._version).toBe(flagVersion);
  });
});
