// Adding a flag to a release pipeline the ways LaunchDarkly documents: createReleaseForFlag with a variation, and a flag
// PATCH's `add /releasePipelineKey` (in the same transaction as the rest of the patch); the flags list's
// `filter=releasePipeline:<key>` then finds it, under way or complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('adding flags to release pipelines', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    for (const key of ['checkout', 'banner', 'idle']) expect((await s.post('/api/v2/flags/shop', { key, name: key })).status).toBe(201);
    const phases = [{ name: 'Testing', audiences: [{ environmentKey: 'test', name: 'QA' }] }];
    for (const key of ['standard', 'other']) expect((await s.post('/api/v2/projects/shop/release-pipelines', { key, name: key, phases }, BETA)).status).toBe(201);
  });
  afterAll(() => s.close());

  it('createReleaseForFlag with the false variation; sent again for another pipeline before it began, the release is replaced', async () => {
    const flag = (await s.get('/api/v2/flags/shop/checkout')).body;
    const made = await s.put('/api/v2/projects/shop/flags/checkout/release', { releasePipelineKey: 'standard', releaseVariationId: flag.variations[1]._id }, BETA);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body._releaseVariationId).toBe(flag.variations[1]._id);
    const moved = await s.put('/api/v2/projects/shop/flags/checkout/release', { releasePipelineKey: 'other' }, BETA);
    expect(moved.body).toMatchObject({ releasePipelineKey: 'other', _releaseVariationId: flag.variations[0]._id, _version: 1 });
  });

  it("a flag PATCH's add /releasePipelineKey adds the flag, with the rest of the patch", async () => {
    const res = await s.patch('/api/v2/flags/shop/banner', { comment: 'release it', patch: [{ op: 'add', path: '/releasePipelineKey', value: 'standard' }, { op: 'replace', path: '/description', value: 'Banner' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.description).toBe('Banner');
    expect((await s.get('/api/v2/flags/shop/banner/release', BETA)).body.releasePipelineKey).toBe('standard');
    // LaunchDarkly's example body alone.
    expect((await s.patch('/api/v2/flags/shop/idle', [{ op: 'add', path: '/releasePipelineKey', value: 'standard' }])).status).toBe(200);
    expect((await s.get('/api/v2/flags/shop/idle/release', BETA)).status).toBe(200);
    // A dry run adds nothing.
    expect((await s.del('/api/v2/flags/shop/idle/release', BETA)).status).toBe(204);
    expect((await s.patch('/api/v2/flags/shop/idle?dryRun=true', [{ op: 'add', path: '/releasePipelineKey', value: 'standard' }])).status).toBe(200);
    expect((await s.get('/api/v2/flags/shop/idle/release', BETA)).status).toBe(404);
  });

  it('the flags list filters on releasePipeline', async () => {
    const keys = async (pipeline: string) => (await s.get(`/api/v2/flags/shop?filter=releasePipeline:${pipeline}`)).body.items.map((f: { key: string }) => f.key).sort();
    expect(await keys('standard')).toEqual(['banner']);
    expect(await keys('other')).toEqual(['checkout']);
    expect(await keys('nope')).toEqual([]);
  });
});
