// updateView: LaunchDarkly's ViewPatch (the fields to replace, as Terraform's provider sends it), the JSON Patch the
// provider's earlier versions sent, and a merge patch; version and updatedAt move only when something changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createView, viewWorld, type ViewWorld } from '../../../test/support/views.js';

describe('updateView', () => {
  let w: ViewWorld;
  const path = () => `${w.views}/squad`;
  const audited = async () => (await w.s.get('/api/v2/auditlog?spec=proj/shop:view/squad')).body.items;
  beforeAll(async () => {
    w = await viewWorld();
    await createView(w, { key: 'squad', name: 'Squad', maintainerId: w.ownerId, tags: ['a'] });
  });
  afterAll(() => w.s.close());

  it('replaces the fields a ViewPatch names (LaunchDarkly\'s example), one more version, updatedAt now', async () => {
    w.clock.now += 5_000;
    const res = await w.patch(path(), { description: 'Example updated description', tags: ['new-tag'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'squad', name: 'Squad', description: 'Example updated description', tags: ['new-tag'], version: 2, updatedAt: w.clock.now, maintainer: { id: w.ownerId } });
    expect(res.body.createdAt).toBeLessThan(res.body.updatedAt);
    const entry = (await w.s.get(`/api/v2/auditlog/${(await audited())[0]._id}`)).body;
    expect(entry).toMatchObject({
      accesses: [{ action: 'updateView', resource: 'proj/shop:view/squad' }],
      delta: { description: 'Example updated description', tags: ['new-tag'] },
      previousVersion: { version: 1, tags: ['a'] },
      currentVersion: { version: 2, tags: ['new-tag'] },
    });
  });

  it('Terraform\'s ViewPatch: name, description, maintainer team (the member maintainer gives way), generateSdkKeys, archived', async () => {
    w.clock.now += 1_000;
    const res = await w.patch(path(), { name: 'Checkout squad', description: 'd', maintainerTeamKey: 'checkout-team', tags: ['x', 'x'], generateSdkKeys: true, archived: true });
    expect(res.body).toMatchObject({ name: 'Checkout squad', tags: ['x'], generateSdkKeys: true, archived: true, archivedAt: w.clock.now, version: 3, maintainer: { kind: 'team', maintainerTeam: { key: 'checkout-team' } } });
    w.clock.now += 1_000;
    const back = await w.patch(path(), { archived: false, maintainerId: w.ownerId });
    expect(back.body).toMatchObject({ archived: false, version: 4, maintainer: { kind: 'member', id: w.ownerId } });
    expect(back.body.archivedAt).toBeUndefined();
  });

  it('a JSON Patch, as the provider\'s earlier versions sent: replace, and remove of the maintainer', async () => {
    const res = await w.patch(path(), [
      { op: 'replace', path: '/name', value: 'Squad' },
      { op: 'replace', path: '/generateSdkKeys', value: false },
      { op: 'remove', path: '/maintainerId' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Squad', generateSdkKeys: false, version: 5 });
    expect(res.body.maintainer).toBeUndefined();
    const wrapped = await w.patch(path(), { comment: 'why', patch: [{ op: 'test', path: '/version', value: 5 }, { op: 'replace', path: '/maintainerTeamKey', value: 'checkout-team' }] });
    expect(wrapped.body).toMatchObject({ version: 6, maintainer: { kind: 'team' } });
    expect((await audited())[0].comment).toBe('why');
    const merged = await w.patch(path(), { merge: { tags: ['merged'], maintainerTeamKey: null } });
    expect(merged.body).toMatchObject({ tags: ['merged'], version: 7 });
    expect(merged.body.maintainer).toBeUndefined();
  });

  it('a patch that changes nothing answers the view as it is and records nothing', async () => {
    const before = (await w.get(path())).body;
    const entries = (await audited()).length;
    w.clock.now += 1_000;
    for (const body of [{}, { name: before.name, tags: before.tags }, [{ op: 'replace', path: '/key', value: 'squad' }]]) {
      const res = await w.patch(path(), body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(before);
    }
    expect(await audited()).toHaveLength(entries);
  });
});
