import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMetricGroup: happy path', () => {
  let s: TestServer;
  const patch = (key: string, ops: unknown) => s.patch(`/api/v2/projects/shop/metric-groups/${key}`, ops, BETA);
  beforeAll(async () => {
    let clock = Date.UTC(2026, 0, 1);
    s = await startServer({ now: () => (clock += 1000) });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    for (const key of ['a', 'b', 'c']) await s.post('/api/v2/metrics/shop', { key, kind: 'custom', eventKey: key, isNumeric: false });
  });
  afterAll(() => s.close());

  const createGroup = (key: string, kind: string, metrics: unknown[], extra: Record<string, unknown> = {}) =>
    s.post('/api/v2/projects/shop/metric-groups', { key, name: key, kind, maintainerId: s.deps.accountId, tags: [], metrics, ...extra }, BETA);

  it("applies Terraform's update patch (name, description, maintainer, tags, metrics)", async () => {
    const created = await createGroup('tf', 'standard', [{ key: 'a' }, { key: 'b' }]);
    const res = await patch('tf', [
      { op: 'replace', path: '/name', value: 'Terraformed' },
      { op: 'replace', path: '/description', value: 'managed by terraform' },
      { op: 'replace', path: '/maintainerId', value: s.deps.accountId },
      { op: 'replace', path: '/tags', value: ['tf'] },
      { op: 'replace', path: '/metrics', value: [{ key: 'c', nameInGroup: '' }, { key: 'a', nameInGroup: '' }] },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Terraformed', description: 'managed by terraform', tags: ['tf'], _version: 2, _creationDate: created.body._creationDate });
    expect(res.body._lastModified).toBeGreaterThan(created.body._lastModified);
    expect(res.body.metrics.map((m: { key: string }) => m.key)).toEqual(['c', 'a']);
    expect((await s.get('/api/v2/projects/shop/metric-groups/tf', BETA)).body).toEqual(res.body);
  });

  it("LaunchDarkly's documented precondition: `test /version` reads the group's _version, then the patch applies", async () => {
    const created = await createGroup('documented-lock', 'standard', [{ key: 'a' }]);
    const res = await patch('documented-lock', [
      { op: 'test', path: '/version', value: created.body._version },
      { op: 'replace', path: '/description', value: 'The new description' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ description: 'The new description', _version: created.body._version + 1 });
    expect(res.body).not.toHaveProperty('version');
    expect((await s.get('/api/v2/projects/shop/metric-groups/documented-lock', BETA)).body).toEqual(res.body);
  });

  it('reorders and extends a funnel, and renames a step', async () => {
    await createGroup('funnel', 'funnel', [{ key: 'a', nameInGroup: 'One' }, { key: 'b', nameInGroup: 'Two' }]);
    const res = await patch('funnel', [
      { op: 'test', path: '/_version', value: 1 },
      { op: 'move', from: '/metrics/1', path: '/metrics/0' },
      { op: 'add', path: '/metrics/-', value: { key: 'c', nameInGroup: 'Three' } },
      { op: 'replace', path: '/metrics/1/nameInGroup', value: 'Uno' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.metrics.map((m: { key: string; nameInGroup: string }) => [m.key, m.nameInGroup])).toEqual([
      ['b', 'Two'],
      ['a', 'Uno'],
      ['c', 'Three'],
    ]);
  });

  it('accepts member metrics written back as the representation shows them', async () => {
    const created = await createGroup('roundtrip', 'standard', [{ key: 'a' }]);
    const res = await patch('roundtrip', [{ op: 'replace', path: '/metrics', value: [...created.body.metrics, { key: 'b' }] }]);
    expect(res.status).toBe(200);
    expect(res.body.metrics.map((m: { key: string }) => m.key)).toEqual(['a', 'b']);
  });

  it('a group whose maintainer has left the account can still be patched; naming another maintainer replaces them', async () => {
    const leaver = (await s.post('/api/v2/members', [{ email: 'leaver@acme.com' }])).body.items[0]._id;
    expect((await createGroup('orphan', 'standard', [{ key: 'a' }], { maintainerId: leaver })).status).toBe(201);
    expect((await s.del(`/api/v2/members/${leaver}`)).status).toBe(204);
    const renamed = await patch('orphan', [{ op: 'replace', path: '/name', value: 'Orphaned' }]);
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Orphaned', maintainer: { key: leaver, kind: 'member' }, _version: 2 });
    const adopted = await patch('orphan', [{ op: 'replace', path: '/maintainerId', value: s.deps.accountId }]);
    expect(adopted.status).toBe(200);
    expect(adopted.body.maintainer).toMatchObject({ key: s.deps.accountId, kind: 'member' });
    const back = await patch('orphan', [{ op: 'replace', path: '/maintainerId', value: leaver }]);
    expect(back.status).toBe(400);
    expect(back.body.message).toMatch(/maintainerId/);
  });

  it('removing the description and a patch that changes nothing', async () => {
    await createGroup('desc', 'standard', [{ key: 'a' }], { description: 'to go' });
    const removed = await patch('desc', [{ op: 'replace', path: '/description', value: '' }]);
    expect(removed.body).not.toHaveProperty('description');
    expect(removed.body._version).toBe(2);
    const same = await patch('desc', [{ op: 'replace', path: '/name', value: 'desc' }, { op: 'replace', path: '/kind', value: 'standard' }]);
    expect(same.body).toEqual(removed.body);
  });
});
