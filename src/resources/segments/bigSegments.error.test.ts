import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { changedBy } from '../../../test/support/digest.js';

describe('big segments: errors', () => {
  let s: TestServer;
  const base = '/api/v2/segments/shop/production';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post(base, { name: 'Devices', key: 'devices', unbounded: true, unboundedContextKind: 'device' });
    await s.post(base, { name: 'Standard', key: 'standard' });
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<{ status: number; body: any }>, status: number, message: string | RegExp): Promise<void> {
    let res: { status: number; body: any } | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
    expect(res!.body.code).toBe(status === 404 ? 'not_found' : 'invalid_request');
    expect(res!.body.message).toMatch(message);
  }

  it('400 for big-segment operations on a standard segment, naming the segment and the operation', async () => {
    const standard = /segment "standard" is a standard segment; (\w+) applies only to big segments \(unbounded: true\)/;
    await refused(() => s.post(`${base}/standard/contexts`, { included: { add: ['a'] } }), 400, standard);
    await refused(() => s.post(`${base}/standard/users`, { included: { add: ['a'] } }), 400, /updateBigSegmentTargets applies only to big segments/);
    await refused(() => s.get(`${base}/standard/contexts/a`), 400, /getSegmentMembershipForContext applies only to big segments/);
    await refused(() => s.get(`${base}/standard/users/a`), 400, /getSegmentMembershipForUser applies only to big segments/);
  });

  it('400 for the users forms on a big segment of another context kind', async () => {
    await refused(() => s.post(`${base}/devices/users`, { included: { add: ['a'] } }), 400, /big segment "devices" targets "device" contexts; updateBigSegmentTargets is for big segments of user contexts/);
    await refused(() => s.get(`${base}/devices/users/a`), 400, /getSegmentMembershipForUser is for big segments of user contexts/);
  });

  it("400 naming the field for bodies that are not LaunchDarkly's SegmentUserState", async () => {
    await refused(() => s.post(`${base}/devices/contexts`, { included: ['a'] }), 400, /included: must be an object/);
    await refused(() => s.post(`${base}/devices/contexts`, { included: { add: 'a' } }), 400, /included\.add: must be an array/);
    await refused(() => s.post(`${base}/devices/contexts`, { excluded: { remove: [''] } }), 400, /excluded\.remove\[0\]/);
    await refused(() => s.post(`${base}/devices/contexts`, { included: { add: ['a', 'b'], remove: ['b'] } }), 400, 'included.remove: "b" is also in included.add; a key cannot be added and removed at once');
  });

  it('404 naming the missing segment, environment or project', async () => {
    await refused(() => s.post(`${base}/nope/contexts`, { included: { add: ['a'] } }), 404, /Segment "nope"/);
    await refused(() => s.get(`${base}/nope/contexts/a`), 404, /Segment "nope"/);
    await refused(() => s.post('/api/v2/segments/shop/nowhere/devices/contexts', { included: { add: ['a'] } }), 404, /nowhere/);
  });

  it("400 naming the field when a patch gives a big segment a standard segment's targets or rules, in any form", async () => {
    await refused(() => s.patch(`${base}/devices`, [{ op: 'add', path: '/included/-', value: 'a' }]), 400, /included: must be empty on a big segment \(unbounded: true\): a big segment's targets are changed with updateBigSegmentContextTargets/);
    await refused(() => s.patch(`${base}/devices`, { merge: { includedContexts: [{ contextKind: 'device', values: ['a'] }] } }), 400, /includedContexts: must be empty on a big segment/);
    await refused(() => s.patch(`${base}/devices`, { environmentKey: 'production', instructions: [{ kind: 'addExcludedTargets', contextKind: 'device', values: ['a'] }] }), 400, /excludedContexts: must be empty on a big segment/);
    await refused(() => s.patch(`${base}/devices`, { environmentKey: 'production', instructions: [{ kind: 'addRule', clauses: [{ attribute: 'key', op: 'in', values: ['a'] }] }] }), 400, /rules: must be empty on a big segment \(unbounded: true\): a big segment has no rules/);
    await refused(() => s.patch(`${base}/devices`, [{ op: 'replace', path: '/unboundedContextKind', value: 'user' }]), 400, /unboundedContextKind/);
    await refused(() => s.patch(`${base}/devices`, [{ op: 'replace', path: '/unbounded', value: false }]), 400, /unbounded/);
  });
});
