// Who may manage views: every token must be valid; readers read; writers and admins create, change, link and delete.
// Custom roles need LaunchDarkly's view actions on `proj/<p>:view/<key>` (createView, updateView, deleteView,
// linkFlagToView, unlinkFlagFromView, linkSegmentToView, unlinkSegmentFromView) beside viewProject; reading asks only
// viewProject. A view links only its own project's flags and segments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import type { Response } from '../../../test/support/server.js';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('views: security', () => {
  let w: ViewWorld;
  let otherEnv: string;
  const segment = () => ({ segmentIdentifiers: [{ environmentId: w.env.production, segmentKey: 'staff' }] });
  beforeAll(async () => {
    w = await viewWorld();
    await createView(w, { key: 'squad', name: 'Squad' });
    const other = await w.s.post('/api/v2/projects', { key: 'other', name: 'Other', environments: [{ key: 'prod', name: 'Prod', color: '000000' }] });
    otherEnv = other.body.environments[0]._id;
    expect((await w.s.post('/api/v2/flags/other', { key: 'theirs', name: 'Theirs' })).status).toBe(201);
    expect((await w.s.post('/api/v2/segments/other/prod', { key: 'staff', name: 'Their staff' })).status).toBe(201);
    expect((await w.post('/api/v2/projects/other/views', { key: 'their-view', name: 'Theirs' })).status).toBe(200);
  });
  afterAll(() => w.s.close());

  async function refused(send: () => Promise<Response>, status: number): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(w.s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
  }

  const reads = (token: string | null) => [
    () => w.get(w.views, { token }),
    () => w.get(`${w.views}/squad`, { token }),
    () => w.get(`${w.views}/squad/linked/flags`, { token }),
    () => w.get('/api/v2/projects/shop/view-associations/flags/checkout', { token }),
  ];
  const writes = (token: string | null) => [
    () => w.post(w.views, { key: 'new-view', name: 'New' }, { token }),
    () => w.patch(`${w.views}/squad`, { name: 'Renamed' }, { token }),
    () => w.post(`${w.views}/squad/link/flags`, { keys: ['search'] }, { token }),
    () => w.del(`${w.views}/squad/link/flags`, { keys: ['checkout'] }, { token }),
    () => w.post(`${w.views}/squad/link/segments`, segment(), { token }),
    () => w.del(`${w.views}/squad/link/segments`, segment(), { token }),
    () => w.del(`${w.views}/squad`, undefined, { token }),
  ];

  it('401 without a valid token; readers read but may not write; writers write', async () => {
    await linkTo(w, 'squad', 'flags', { keys: ['checkout'] });
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) for (const send of [...reads(token), ...writes(token)]) await refused(send, 401);
    for (const send of reads(w.s.tokens.reader)) expect((await send()).status).toBe(200);
    for (const send of writes(w.s.tokens.reader)) await refused(send, 403);
    const statuses = [];
    for (const send of writes(w.s.tokens.writer)) statuses.push((await send()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 204]);
    await createView(w, { key: 'squad', name: 'Squad' });
  });

  it('custom roles: viewProject reads; each change needs its view action on that view', async () => {
    const role = async (actions: string[], resource = 'proj/shop:view/squad') => {
      const statements = [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, ...(actions.length > 0 ? [{ effect: 'allow', resources: [resource], actions }] : [])];
      const made = await w.s.post('/api/v2/tokens', { name: actions.join() || 'viewer', inlineRole: statements });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body.token as string;
    };
    const viewer = await role([]);
    for (const send of reads(viewer)) expect((await send()).status).toBe(200);
    for (const send of writes(viewer)) await refused(send, 403);

    const creator = await role(['createView'], 'proj/shop:view/made-*');
    expect((await w.post(w.views, { key: 'made-here', name: 'Made' }, { token: creator })).status).toBe(200);
    await refused(() => w.post(w.views, { key: 'elsewhere', name: 'No' }, { token: creator }), 403);

    const linker = await role(['linkFlagToView']);
    expect((await w.post(`${w.views}/squad/link/flags`, { keys: ['search'] }, { token: linker })).status).toBe(200);
    await refused(() => w.del(`${w.views}/squad/link/flags`, { keys: ['search'] }, { token: linker }), 403);
    await refused(() => w.post(`${w.views}/squad/link/segments`, segment(), { token: linker }), 403);
    await refused(() => w.post(`${w.views}/made-here/link/flags`, { keys: ['search'] }, { token: linker }), 403);
    expect((await w.del(`${w.views}/squad/link/flags`, { keys: ['search'] }, { token: await role(['unlinkFlagFromView']) })).status).toBe(200);
    const segmenter = await role(['linkSegmentToView', 'unlinkSegmentFromView']);
    expect((await w.post(`${w.views}/squad/link/segments`, segment(), { token: segmenter })).status).toBe(200);
    expect((await w.del(`${w.views}/squad/link/segments`, segment(), { token: segmenter })).status).toBe(200);
    await refused(() => w.post(`${w.views}/squad/link/flags`, { keys: ['search'] }, { token: segmenter }), 403);

    const updater = await role(['updateView']);
    expect((await w.patch(`${w.views}/squad`, { description: 'by role' }, { token: updater })).status).toBe(200);
    await refused(() => w.del(`${w.views}/squad`, undefined, { token: updater }), 403);
    const deleter = await role(['deleteView'], 'proj/shop:view/*');
    await refused(() => w.patch(`${w.views}/made-here`, { name: 'x' }, { token: deleter }), 403);
    expect((await w.del(`${w.views}/made-here`, undefined, { token: deleter })).status).toBe(204);
    // Without viewProject, nothing: not even reading.
    const blind = (await w.s.post('/api/v2/tokens', { name: 'blind', inlineRole: [{ effect: 'allow', resources: ['proj/shop:view/*'], actions: ['*'] }] })).body.token;
    await refused(() => w.get(w.views, { token: blind }), 403);
    await refused(() => w.post(`${w.views}/squad/link/flags`, { keys: ['search'] }, { token: blind }), 403);
  });

  it("another project's flags, segments, environments and views are out of reach", async () => {
    const res = await w.post(`${w.views}/squad/link/flags`, { keys: ['theirs'] });
    expect(res.body).toMatchObject({ successCount: 0, failureCount: 1, failedResources: [{ resourceKey: 'theirs', errorMessage: 'Flag "theirs" in project "shop" not found' }] });
    const segs = await w.post(`${w.views}/squad/link/segments`, { segmentIdentifiers: [{ environmentId: otherEnv, segmentKey: 'staff' }] });
    expect(segs.body).toMatchObject({ successCount: 0, failedResources: [{ errorMessage: `Environment "${otherEnv}" in project "shop" not found` }] });
    await refused(() => w.post(`${w.views}/squad/link/segments`, { filter: 'tags anyOf ["x"]', environmentId: otherEnv }), 404);
    await refused(() => w.get(`${w.views}/their-view`), 404);
    await refused(() => w.post(`${w.views}/their-view/link/flags`, { keys: ['checkout'] }), 404);
    await refused(() => w.get('/api/v2/projects/shop/view-associations/flags/theirs'), 404);
    expect((await w.get('/api/v2/projects/other/view-associations/flags/theirs')).body.totalCount).toBe(0);
    expect((await w.get('/api/v2/projects/other/views')).body.items.map((v: { key: string }) => v.key)).toEqual(['their-view']);
    // A custom role on one project's views opens nothing of another's.
    const shopOnly = (await w.s.post('/api/v2/tokens', { name: 'shop only', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }, { effect: 'allow', resources: ['proj/shop:view/*'], actions: ['*'] }] })).body.token;
    await refused(() => w.get('/api/v2/projects/other/views', { token: shopOnly }), 403);
    await refused(() => w.post('/api/v2/projects/other/views/their-view/link/flags', { keys: ['theirs'] }, { token: shopOnly }), 403);
  });
});
