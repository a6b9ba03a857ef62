// unlinkResource: flags by key (as Terraform's launchdarkly_view_links removes them), segments by environment and key,
// or those a filter picks; idempotent: what is not linked (or does not exist) is unlinked already.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('unlinkResource', () => {
  let w: ViewWorld;
  const linked = async (type: 'flags' | 'segments') => (await w.get(`${w.views}/squad/linked/${type}`)).body.items.map((i: { resourceKey: string; environmentKey?: string }) => (i.environmentKey ? `${i.environmentKey}/${i.resourceKey}` : i.resourceKey));
  const audited = async () => (await w.s.get('/api/v2/auditlog?spec=proj/shop:view/squad')).body.items;
  beforeAll(async () => {
    w = await viewWorld();
    await createView(w, { key: 'squad', name: 'Squad' });
    await linkTo(w, 'squad', 'flags', { keys: ['checkout', 'search', 'legacy'] });
    await linkTo(w, 'squad', 'segments', { segmentIdentifiers: [{ environmentId: w.env.production, segmentKey: 'beta-users' }, { environmentId: w.env.test, segmentKey: 'beta-users' }, { environmentId: w.env.test, segmentKey: 'staff' }] });
  });
  afterAll(() => w.s.close());

  it('unlinks flags by key: 200 with how many are unlinked, one audit entry', async () => {
    const res = await w.del(`${w.views}/squad/link/flags`, { keys: ['search'], comment: 'Managed by Terraform' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ successCount: 1, failureCount: 0 });
    expect(await linked('flags')).toEqual(['checkout', 'legacy']);
    const entry = (await w.s.get(`/api/v2/auditlog/${(await audited())[0]._id}`)).body;
    expect(entry).toMatchObject({ accesses: [{ action: 'unlinkFlagFromView', resource: 'proj/shop:view/squad' }], comment: 'Managed by Terraform', delta: { keys: ['search'] }, previousVersion: { linked: ['search'] } });
  });

  it('is idempotent: unlinking again, or a key that names no flag, succeeds and records nothing', async () => {
    const before = (await audited()).length;
    for (const keys of [['search'], ['nope'], ['search', 'nope']]) {
      const res = await w.del(`${w.views}/squad/link/flags`, { keys });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ successCount: keys.length, failureCount: 0 });
    }
    expect(await audited()).toHaveLength(before);
    expect(await linked('flags')).toEqual(['checkout', 'legacy']);
  });

  it('unlinks the flags a filter picks', async () => {
    expect((await w.del(`${w.views}/squad/link/flags`, { filter: 'state:archived' })).body).toEqual({ successCount: 1, failureCount: 0 });
    expect(await linked('flags')).toEqual(['checkout']);
  });

  it('unlinks segments by environment and key, and by filter in an environment', async () => {
    const res = await w.del(`${w.views}/squad/link/segments`, { segmentIdentifiers: [{ environmentId: w.env.test, segmentKey: 'beta-users' }, { environmentId: w.env.test, segmentKey: 'ghost' }] });
    expect(res.body).toEqual({ successCount: 2, failureCount: 0 });
    expect(await linked('segments')).toEqual(['production/beta-users', 'test/staff']);
    expect((await w.del(`${w.views}/squad/link/segments`, { filter: 'includedKeys anyOf ["staff"]', environmentId: w.env.test })).body).toEqual({ successCount: 1, failureCount: 0 });
    expect(await linked('segments')).toEqual(['production/beta-users']);
    expect((await audited())[0].accesses).toEqual([{ action: 'unlinkSegmentFromView', resource: 'proj/shop:view/squad' }]);
  });

  it('AI Configs: none linked and none existing, so each one named is unlinked already (aiConfigs.happy.test.ts unlinks real ones)', async () => {
    expect((await w.del(`${w.views}/squad/link/aiConfigs`, { keys: ['assistant', 'assistant', 'summarizer'] })).body).toEqual({ successCount: 2, failureCount: 0 });
  });
});
