import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('big segments: happy path', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  const base = '/api/v2/segments/shop/production';
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  const membership = async (segment: string, key: string, form = 'contexts') => (await s.get(`${base}/${segment}/${form}/${encodeURIComponent(key)}`)).body;

  it('postSegment with unbounded: true makes a big segment: unbounded, its context kind, generation 1, empty lists', async () => {
    clock += 1000;
    const res = await s.post(base, { name: 'Devices', key: 'devices', unbounded: true, unboundedContextKind: 'device' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key: 'devices',
      unbounded: true,
      unboundedContextKind: 'device',
      generation: 1,
      version: 1,
      included: [],
      excluded: [],
      includedContexts: [],
      excludedContexts: [],
      rules: [],
      creationDate: clock,
    });
    expect((await s.get(`${base}/devices`)).body).toEqual({ ...res.body, _flags: [] });
  });

  it('the context kind defaults to user, also when Terraform sends "" for an unset unbounded_context_kind', async () => {
    expect((await s.post(base, { name: 'Users', key: 'users', unbounded: true })).body.unboundedContextKind).toBe('user');
    expect((await s.post(base, { name: 'TF', key: 'tf', unbounded: true, unboundedContextKind: '' })).body.unboundedContextKind).toBe('user');
    // A standard segment from Terraform: unbounded false, unboundedContextKind "".
    expect((await s.post(base, { name: 'Standard', key: 'standard', unbounded: false, unboundedContextKind: '' })).body).toMatchObject({ unbounded: false, generation: 1 });
  });

  it('updateBigSegmentContextTargets adds and removes keys (204); membership reads them; version and generation stay', async () => {
    const add = await s.post(`${base}/devices/contexts`, { included: { add: ['d1', 'd2', 'd2'] }, excluded: { add: ['d2', 'd3'] } });
    expect(add.status).toBe(204);
    expect(await membership('devices', 'd1')).toEqual({ userKey: 'd1', included: true, excluded: false });
    // "Excluded targets may still be included explicitly": both at once.
    expect(await membership('devices', 'd2')).toEqual({ userKey: 'd2', included: true, excluded: true });
    expect(await membership('devices', 'nobody')).toEqual({ userKey: 'nobody', included: false, excluded: false });
    expect((await s.post(`${base}/devices/contexts`, { included: { remove: ['d2', 'never-added'] }, excluded: { add: ['d3'], remove: ['d2'] } })).status).toBe(204);
    expect(await membership('devices', 'd2')).toEqual({ userKey: 'd2', included: false, excluded: false });
    expect(await membership('devices', 'd3')).toEqual({ userKey: 'd3', included: false, excluded: true });
    expect((await s.get(`${base}/devices`)).body).toMatchObject({ version: 1, generation: 1, included: [], excluded: [] });
  });

  it('the users forms work on a big segment of user contexts, with the same rows', async () => {
    expect((await s.post(`${base}/users/users`, { included: { add: ['u1'] } })).status).toBe(204);
    expect(await membership('users', 'u1', 'users')).toEqual({ userKey: 'u1', included: true, excluded: false });
    expect(await membership('users', 'u1', 'contexts')).toEqual({ userKey: 'u1', included: true, excluded: false });
  });

  it('takes tens of thousands of keys in one request, in one transaction', async () => {
    const keys = Array.from({ length: 20000 }, (_, i) => `bulk-${i}`);
    expect((await s.post(`${base}/users/contexts`, { included: { add: keys } })).status).toBe(204);
    const count = await s.store.db.selectFrom('big_segment_targets').innerJoin('segments', 'segments.id', 'big_segment_targets.segment_id').where('segments.key', '=', 'users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(20001);
    expect(await membership('users', 'bulk-19999')).toMatchObject({ included: true });
  });

  it('audits each change as an update of the segment; an empty body writes nothing', async () => {
    const entries = async () => (await s.get('/api/v2/auditlog?spec=proj/shop:env/production:segment/devices')).body.items;
    const before = (await entries()).length;
    expect((await s.post(`${base}/devices/contexts`, {})).status).toBe(204);
    expect((await entries()).length).toBe(before);
    await s.post(`${base}/devices/contexts`, { included: { add: ['d9'] } });
    const [latest] = await entries();
    expect(latest.description).toContain('updated the targets of the big segment Devices in production (included +1 −0, excluded +0 −0)');
    expect((await entries()).length).toBe(before + 1);
  });

  it("Terraform's update after the create (replace of every list with [] and of /temporary) applies to a big segment", async () => {
    const res = await s.patch(`${base}/tf`, {
      comment: 'Terraform',
      patch: [
        { op: 'replace', path: '/name', value: 'TF renamed' },
        { op: 'replace', path: '/description', value: '' },
        { op: 'replace', path: '/temporary', value: false },
        { op: 'replace', path: '/included', value: [] },
        { op: 'replace', path: '/excluded', value: [] },
        { op: 'replace', path: '/rules', value: [] },
        { op: 'replace', path: '/includedContexts', value: [] },
        { op: 'replace', path: '/excludedContexts', value: [] },
        { op: 'replace', path: '/tags', value: ['tf'] },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'TF renamed', tags: ['tf'], unbounded: true, unboundedContextKind: 'user', generation: 1 });
  });

  it('a cloned environment copies a big segment with its targets; deleting the segment deletes its targets', async () => {
    const clone = await s.post('/api/v2/projects/shop/environments', { name: 'Clone', key: 'clone', color: '000000', source: { key: 'production' } });
    expect(clone.status, JSON.stringify(clone.body)).toBe(201);
    expect((await s.get('/api/v2/segments/shop/clone/devices/contexts/d1')).body).toEqual({ userKey: 'd1', included: true, excluded: false });
    expect((await s.del(`${base}/devices`)).status).toBe(204);
    expect((await s.get('/api/v2/segments/shop/clone/devices/contexts/d1')).body.included).toBe(true);
    expect((await s.post(base, { name: 'Devices', key: 'devices', unbounded: true, unboundedContextKind: 'device' })).status).toBe(201);
    expect(await membership('devices', 'd1')).toEqual({ userKey: 'd1', included: false, excluded: false });
  });

  it('deleting the environment, then the project, deletes the targets', async () => {
    expect((await s.del('/api/v2/projects/shop/environments/clone')).status).toBe(204);
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    expect((await s.del('/api/v2/projects/shop')).status).toBe(204);
    const left = await s.store.db.selectFrom('big_segment_targets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });
});
