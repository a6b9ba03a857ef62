// Scheduling a context's removal from a flag's individual targeting: add, move and cancel, each instruction on its
// own; when the date comes the job removes the context as a flag update (a new version the SDKs are served).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beforeNextTransaction } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { expireDueTargets } from '../expiring-targets/model.js';

const DAY = 24 * 60 * 60 * 1000;

describe('patchExpiringTargets and getExpiringContextTargets', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 11, 4);
  let variations: string[];
  const path = '/api/v2/flags/shop/banner/expiring-targets/production';
  const patch = (instructions: unknown[]) => s.patch(path, { instructions }, { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } });
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    variations = (await s.post('/api/v2/flags/shop', { key: 'banner', name: 'Banner' })).body.variations.map((v: { _id: string }) => v._id);
    const targeted = await s.patch('/api/v2/flags/shop/banner', {
      environmentKey: 'production',
      instructions: [
        { kind: 'addTargets', variationId: variations[0], contextKind: 'user', values: ['sandy', 'kai'] },
        { kind: 'addTargets', variationId: variations[1], contextKind: 'org', values: ['acme'] },
      ],
    });
    expect(targeted.status).toBe(200);
  });
  afterAll(() => s.close());

  it("addExpiringTarget (the reference's example shape): 200 with what each instruction did", async () => {
    const res = await patch([
      { kind: 'addExpiringTarget', value: clock + DAY, variationId: variations[0], contextKey: 'sandy', contextKind: 'user' },
      { kind: 'addExpiringTarget', value: clock + 2 * DAY, variationId: variations[1], contextKey: 'acme', contextKind: 'org' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalInstructions: 2, successfulInstructions: 2, failedInstructions: 0, errors: [] });
    expect(res.body.items[0]).toMatchObject({
      _version: 1,
      expirationDate: clock + DAY,
      contextKind: 'user',
      contextKey: 'sandy',
      variationId: variations[0],
      _resourceId: { kind: 'flag', projectKey: 'shop', environmentKey: 'production', flagKey: 'banner' },
    });
    const listed = await s.get(path);
    expect(listed.body.items.map((t: { contextKey: string }) => t.contextKey)).toEqual(['sandy', 'acme']);
    expect(listed.body._links.self.href).toBe(path);
  });

  it('each instruction on its own: the failing ones named by index, the others applied', async () => {
    const res = await patch([
      { kind: 'addExpiringTarget', value: clock + DAY, variationId: variations[0], contextKey: 'nobody', contextKind: 'user' },
      { kind: 'addExpiringTarget', value: clock + DAY, variationId: variations[0], contextKey: 'sandy', contextKind: 'user' },
      { kind: 'addExpiringTarget', value: clock - 1, variationId: variations[0], contextKey: 'kai', contextKind: 'user' },
      { kind: 'updateExpiringTarget', value: clock + 3 * DAY, variationId: variations[0], contextKey: 'sandy', contextKind: 'user', version: 7 },
      { kind: 'updateExpiringTarget', value: clock + 3 * DAY, variationId: variations[0], contextKey: 'sandy', contextKind: 'user', version: 1 },
      { kind: 'removeExpiringTarget', variationId: variations[0], contextKey: 'kai', contextKind: 'user' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalInstructions: 6, successfulInstructions: 1, failedInstructions: 5 });
    expect(res.body.errors.map((e: { instructionIndex: number }) => e.instructionIndex)).toEqual([0, 1, 2, 3, 5]);
    expect(res.body.errors[0].message).toContain('not individually targeted');
    expect(res.body.errors[1].message).toContain('already has a scheduled removal');
    expect(res.body.errors[2].message).toContain('not in the future');
    expect(res.body.errors[3].message).toContain('version 1, not 7');
    expect(res.body.items).toEqual([expect.objectContaining({ contextKey: 'sandy', _version: 2, expirationDate: clock + 3 * DAY })]);
  });

  it('the user form lists and schedules user contexts by user key', async () => {
    const users = await s.get('/api/v2/flags/shop/banner/expiring-user-targets/production');
    expect(users.body.items).toEqual([expect.objectContaining({ userKey: 'sandy', variationId: variations[0] })]);
    const res = await s.patch('/api/v2/flags/shop/banner/expiring-user-targets/production', { instructions: [{ kind: 'addExpireUserTargetDate', userKey: 'kai', variationId: variations[0], value: clock + DAY }] });
    expect(res.body).toMatchObject({ successfulInstructions: 1, items: [{ userKey: 'kai', _version: 1 }] });
  });

  it('when the date comes: the context leaves the targeting (a new flag version, audited), and the schedule is gone', async () => {
    const before = (await s.get('/api/v2/flags/shop/banner')).body.environments.production;
    clock += DAY;
    expect(await expireDueTargets(s.deps)).toBe(1);
    const after = (await s.get('/api/v2/flags/shop/banner')).body.environments.production;
    expect(after.version).toBe(before.version + 1);
    expect(after.targets).toEqual([expect.objectContaining({ values: ['sandy'], variation: 0 })]);
    expect((await s.get(path)).body.items.map((t: { contextKey: string }) => t.contextKey)).toEqual(['acme', 'sandy']);
    const audit = (await s.get('/api/v2/auditlog?spec=proj/shop:env/production:flag/banner')).body.items;
    expect(JSON.stringify(audit[0])).toContain('removed user \\"kai\\" from the individual targets');
    // Nothing more is due yet; then the org and sandy.
    expect(await expireDueTargets(s.deps)).toBe(0);
    clock += 2 * DAY;
    expect(await expireDueTargets(s.deps)).toBe(2);
    const last = (await s.get('/api/v2/flags/shop/banner')).body.environments.production;
    expect([last.targets, last.contextTargets]).toEqual([[], []]);
    expect((await s.get(path)).body.items).toEqual([]);
  });

  it('a schedule moved while the job runs stays as moved: the job reads it again inside its transaction', async () => {
    await s.patch('/api/v2/flags/shop/banner', { environmentKey: 'production', instructions: [{ kind: 'addTargets', variationId: variations[0], contextKind: 'user', values: ['ray'] }] });
    await patch([{ kind: 'addExpiringTarget', value: clock + DAY, variationId: variations[0], contextKey: 'ray', contextKind: 'user' }]);
    clock += DAY;
    beforeNextTransaction(s, () => patch([{ kind: 'updateExpiringTarget', value: clock + 5 * DAY, variationId: variations[0], contextKey: 'ray', contextKind: 'user' }]));
    expect(await expireDueTargets(s.deps)).toBe(1);
    expect((await s.get('/api/v2/flags/shop/banner')).body.environments.production.targets[0].values).toContain('ray');
    expect((await s.get(path)).body.items).toEqual([expect.objectContaining({ contextKey: 'ray', expirationDate: clock + 5 * DAY, _version: 2 })]);
    await patch([{ kind: 'removeExpiringTarget', variationId: variations[0], contextKey: 'ray', contextKind: 'user' }]);
    await s.patch('/api/v2/flags/shop/banner', { environmentKey: 'production', instructions: [{ kind: 'removeTargets', variationId: variations[0], contextKind: 'user', values: ['ray'] }] });
  });

  it('user keys in a `user` entry of contextTargets are not individually targeted: a schedule for them fails', async () => {
    await s.patch('/api/v2/flags/shop/banner', [{ op: 'add', path: '/environments/production/contextTargets/-', value: { contextKind: 'user', variation: 0, values: ['zed'] } }]);
    const res = await patch([{ kind: 'addExpiringTarget', value: clock + DAY, variationId: variations[0], contextKey: 'zed', contextKind: 'user' }]);
    expect(res.body.errors[0].message).toContain('not individually targeted');
  });

  it('deleting the flag forgets its schedules: a flag made again with its key keeps its targets', async () => {
    await s.post('/api/v2/flags/shop', { key: 'promo', name: 'Promo' });
    const ids = (await s.get('/api/v2/flags/shop/promo')).body.variations.map((v: { _id: string }) => v._id);
    await s.patch('/api/v2/flags/shop/promo', { environmentKey: 'production', instructions: [{ kind: 'addTargets', variationId: ids[0], contextKind: 'user', values: ['bob'] }] });
    await s.patch('/api/v2/flags/shop/promo/expiring-targets/production', { instructions: [{ kind: 'addExpiringTarget', value: clock + DAY, variationId: ids[0], contextKey: 'bob', contextKind: 'user' }] });
    expect((await s.del('/api/v2/flags/shop/promo')).status).toBe(204);
    await s.post('/api/v2/flags/shop', { key: 'promo', name: 'Promo' });
    const again = (await s.get('/api/v2/flags/shop/promo')).body.variations.map((v: { _id: string }) => v._id);
    await s.patch('/api/v2/flags/shop/promo', { environmentKey: 'production', instructions: [{ kind: 'addTargets', variationId: again[0], contextKind: 'user', values: ['bob'] }] });
    clock += 2 * DAY;
    expect(await expireDueTargets(s.deps)).toBe(0);
    expect((await s.get('/api/v2/flags/shop/promo')).body.environments.production.targets[0].values).toEqual(['bob']);
  });

  it('removeExpiringTarget cancels a schedule; a context removed by hand before its date is simply forgotten then', async () => {
    await s.patch('/api/v2/flags/shop/banner', { environmentKey: 'production', instructions: [{ kind: 'addTargets', variationId: variations[1], contextKind: 'user', values: ['lee', 'max'] }] });
    await patch([
      { kind: 'addExpiringTarget', value: clock + DAY, variationId: variations[1], contextKey: 'lee', contextKind: 'user' },
      { kind: 'addExpiringTarget', value: clock + DAY, variationId: variations[1], contextKey: 'max', contextKind: 'user' },
    ]);
    expect((await patch([{ kind: 'removeExpiringTarget', variationId: variations[1], contextKey: 'lee', contextKind: 'user' }])).body.successfulInstructions).toBe(1);
    await s.patch('/api/v2/flags/shop/banner', { environmentKey: 'production', instructions: [{ kind: 'removeTargets', variationId: variations[1], contextKind: 'user', values: ['max'] }] });
    const version = (await s.get('/api/v2/flags/shop/banner')).body.environments.production.version;
    clock += DAY;
    expect(await expireDueTargets(s.deps)).toBe(1);
    const flag = (await s.get('/api/v2/flags/shop/banner')).body.environments.production;
    expect(flag.version).toBe(version);
    expect(flag.targets).toEqual([expect.objectContaining({ values: ['lee'] })]);
  });
});
