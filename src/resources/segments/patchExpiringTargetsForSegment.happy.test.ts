// Scheduling a context's removal from a segment's included or excluded targets: add, move, cancel, each on its own;
// when the date comes the job removes it as a segment update (a new version the SDKs are served).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { expireDueTargets } from '../expiring-targets/model.js';

const DAY = 24 * 60 * 60 * 1000;

describe('patchExpiringTargetsForSegment and getExpiringTargetsForSegment', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 11, 4);
  const path = '/api/v2/segments/shop/beta-testers/expiring-targets/production';
  const segmentPath = '/api/v2/segments/shop/production/beta-testers';
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    await s.post('/api/v2/segments/shop/production', { key: 'beta-testers', name: 'Beta testers' });
    const targeted = await s.patch(segmentPath, {
      instructions: [
        { kind: 'addIncludedTargets', contextKind: 'user', values: ['sandy'] },
        { kind: 'addExcludedTargets', contextKind: 'user', values: ['kai'] },
        { kind: 'addIncludedTargets', contextKind: 'org', values: ['acme'] },
      ],
    });
    expect(targeted.status).toBe(200);
  });
  afterAll(() => s.close());

  it("addExpiringTarget (the reference's example shape) on both lists; errors per instruction", async () => {
    const res = await s.patch(path, {
      instructions: [
        { kind: 'addExpiringTarget', targetType: 'included', contextKey: 'sandy', contextKind: 'user', value: clock + DAY },
        { kind: 'addExpiringTarget', targetType: 'excluded', contextKey: 'kai', contextKind: 'user', value: clock + 2 * DAY },
        { kind: 'addExpiringTarget', targetType: 'included', contextKey: 'acme', contextKind: 'org', value: clock + 3 * DAY },
        { kind: 'addExpiringTarget', targetType: 'excluded', contextKey: 'sandy', contextKind: 'user', value: clock + DAY },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalInstructions: 4, successfulInstructions: 3, failedInstructions: 1 });
    expect(res.body.errors).toEqual([{ instructionIndex: 3, message: 'context "sandy" (user) is not excluded by segment "beta-testers"' }]);
    expect(res.body.items[0]).toMatchObject({ targetType: 'included', contextKey: 'sandy', contextKind: 'user', _version: 1, _resourceId: { kind: 'segment', projectKey: 'shop', environmentKey: 'production', key: 'beta-testers' } });
    expect((await s.get(path)).body.items.map((t: { contextKey: string }) => t.contextKey)).toEqual(['sandy', 'kai', 'acme']);
    const users = (await s.get('/api/v2/segments/shop/beta-testers/expiring-user-targets/production')).body.items;
    expect(users.map((t: { userKey: string; targetType: string }) => [t.userKey, t.targetType])).toEqual([['sandy', 'included'], ['kai', 'excluded']]);
  });

  it('the user form moves a schedule; the date comes and the segment loses the context', async () => {
    const moved = await s.patch('/api/v2/segments/shop/beta-testers/expiring-user-targets/production', { instructions: [{ kind: 'updateExpireUserTargetDate', targetType: 'excluded', userKey: 'kai', value: clock + DAY, version: 1 }] });
    expect(moved.body.items).toEqual([expect.objectContaining({ userKey: 'kai', _version: 2, expirationDate: clock + DAY })]);
    const version = (await s.get(segmentPath)).body.version;
    clock += DAY;
    expect(await expireDueTargets(s.deps)).toBe(2);
    const segment = (await s.get(segmentPath)).body;
    expect([segment.included, segment.excluded]).toEqual([[], []]);
    expect(segment.version).toBeGreaterThan(version);
    const audit = (await s.get('/api/v2/auditlog?spec=proj/shop:env/production:segment/beta-testers')).body.items;
    expect(JSON.stringify(audit)).toContain('from the excluded targets of the segment Beta testers in production, as scheduled');
    expect((await s.get(path)).body.items.map((t: { contextKey: string }) => t.contextKey)).toEqual(['acme']);
  });

  it('removeExpiringTarget cancels; the org stays on the segment', async () => {
    const res = await s.patch(path, { instructions: [{ kind: 'removeExpiringTarget', targetType: 'included', contextKey: 'acme', contextKind: 'org' }] });
    expect(res.body.successfulInstructions).toBe(1);
    clock += 10 * DAY;
    expect(await expireDueTargets(s.deps)).toBe(0);
    expect((await s.get(segmentPath)).body.includedContexts).toEqual([{ contextKind: 'org', values: ['acme'] }]);
  });
});
