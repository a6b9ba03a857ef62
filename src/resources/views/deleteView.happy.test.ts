// deleteView: 204; the view's links go with it, the flags and segments it linked stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('deleteView', () => {
  let w: ViewWorld;
  beforeAll(async () => {
    w = await viewWorld();
  });
  afterAll(() => w.s.close());

  it('deletes a view and its links, not what it linked; recorded as deleteView', async () => {
    await createView(w, { key: 'doomed', name: 'Doomed' });
    await createView(w, { key: 'kept', name: 'Kept' });
    for (const key of ['doomed', 'kept']) {
      await linkTo(w, key, 'flags', { keys: ['checkout'] });
      await linkTo(w, key, 'segments', { segmentIdentifiers: [{ environmentId: w.env.production, segmentKey: 'staff' }] });
    }
    const res = await w.del(`${w.views}/doomed`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await w.get(`${w.views}/doomed`)).status).toBe(404);
    expect((await w.get(w.views)).body.items.map((v: { key: string }) => v.key)).toEqual(['kept']);
    expect((await w.s.get('/api/v2/flags/shop/checkout')).status).toBe(200);
    expect((await w.s.get('/api/v2/segments/shop/production/staff')).status).toBe(200);
    expect((await w.get('/api/v2/projects/shop/view-associations/flags/checkout')).body.items.map((v: { key: string }) => v.key)).toEqual(['kept']);
    expect(await w.s.store.db.selectFrom('view_segments').select('view_id').execute()).toHaveLength(1);
    const entries = (await w.s.get('/api/v2/auditlog?spec=proj/shop:view/doomed')).body.items;
    expect(entries[0].accesses).toEqual([{ action: 'deleteView', resource: 'proj/shop:view/doomed' }]);
    const entry = (await w.s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(entry.previousVersion).toMatchObject({ key: 'doomed', resourceSummary: { flagCount: 1, segmentCount: 1, totalCount: 2 } });
    // The key may be used again, for a view that links nothing.
    expect((await createView(w, { key: 'doomed', name: 'Again' })).version).toBe(1);
    expect((await w.get(`${w.views}/doomed/linked/flags`)).body.totalCount).toBe(0);
  });
});
