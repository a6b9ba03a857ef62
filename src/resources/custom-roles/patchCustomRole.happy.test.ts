import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../http/context.js';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const FLAGS_IN_PROD = { effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['updateOn'] };
const QA = { actions: ['updateOn'], effect: 'allow', resources: ['proj/*:env/qa:flag/*'] };

describe('patchCustomRole: happy path', () => {
  let s: TestServer;
  const notices: (ChangeNotice | null)[] = [];
  const create = (key: string, extra: Record<string, unknown> = {}) => s.post('/api/v2/roles', { key, name: key, policy: [FLAGS_IN_PROD], ...extra });
  const audits = async (key: string) =>
    (await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', `role/${key}`).orderBy('date').orderBy('id').execute()).map((r) => JSON.parse(r.doc));
  beforeAll(async () => {
    let clock = Date.UTC(2026, 0, 1);
    s = await startServer({ now: () => (clock += 1000) });
    s.bus.subscribe((notice) => notices.push(notice));
  });
  afterAll(() => s.close());

  it("applies the spec's example: {patch} adding a statement at /policy/0", async () => {
    const created = await create('example');
    const res = await s.patch('/api/v2/roles/example', { patch: [{ op: 'add', path: '/policy/0', value: QA }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, policy: [{ effect: 'allow', resources: ['proj/*:env/qa:flag/*'], actions: ['updateOn'] }, FLAGS_IN_PROD] });
    expect((await s.get('/api/v2/roles/example')).body).toEqual(res.body);
    expect(notices).toContainEqual({ kind: 'custom-role', id: created.body._id });
  });

  it('/policy/- appends; a statement is stored normalized', async () => {
    await create('append');
    const res = await s.patch('/api/v2/roles/append', [{ op: 'add', path: '/policy/-', value: { notActions: [' deleteFlag '], effect: 'deny', resources: ['proj/*'], actions: [] } }]);
    expect(res.status).toBe(200);
    expect(res.body.policy).toEqual([FLAGS_IN_PROD, { effect: 'deny', resources: ['proj/*'], notActions: ['deleteFlag'] }]);
  });

  it('changes name, description and base permissions, by key or by _id; key, resourceCategory and _id stay', async () => {
    const created = await create('many', { resourceCategory: 'project' });
    const res = await s.patch(`/api/v2/roles/${created.body._id}`, [
      { op: 'replace', path: '/name', value: 'Release managers' },
      { op: 'add', path: '/description', value: 'ship to production' },
      { op: 'replace', path: '/basePermissions', value: 'reader' },
      { op: 'test', path: '/key', value: 'many' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, name: 'Release managers', description: 'ship to production', basePermissions: 'reader' });
    const removed = await s.patch('/api/v2/roles/many', [{ op: 'remove', path: '/description' }, { op: 'remove', path: '/policy/0' }]);
    expect(removed.body).not.toHaveProperty('description');
    expect(removed.body).toMatchObject({ _id: created.body._id, key: 'many', resourceCategory: 'project', policy: [] });
  });

  it('read-only fields may be written back with the values they have', async () => {
    const created = await create('roundtrip');
    const res = await s.patch('/api/v2/roles/roundtrip', [
      { op: 'replace', path: '/key', value: 'roundtrip' },
      { op: 'replace', path: '/resourceCategory', value: 'any' },
      { op: 'replace', path: '/assignedTo', value: { membersCount: 0, teamsCount: 0 } },
      { op: 'replace', path: '/name', value: 'Round trip' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, name: 'Round trip' });
  });

  it('takes a merge patch {merge}: members replace, null removes', async () => {
    await create('merged', { description: 'to go' });
    const res = await s.patch('/api/v2/roles/merged', { comment: 'merge', merge: { name: 'Merged', description: null, policy: [QA], basePermissions: 'reader' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'merged', name: 'Merged', basePermissions: 'reader', policy: [{ effect: 'allow', resources: ['proj/*:env/qa:flag/*'], actions: ['updateOn'] }] });
    expect(res.body).not.toHaveProperty('description');
    expect((await audits('merged')).at(-1)).toMatchObject({ action: 'updateName', comment: 'merge', delta: { name: 'Merged', description: null, policy: [QA], basePermissions: 'reader' } });
  });

  it('records one audit entry a change, its action named for the first field changed, with the comment, delta, before and after', async () => {
    const created = await create('audited');
    const ops = [{ op: 'replace', path: '/basePermissions', value: 'reader' }];
    const res = await s.patch('/api/v2/roles/audited', { comment: 'ops need to see flags', patch: ops });
    await s.patch('/api/v2/roles/audited', [{ op: 'add', path: '/policy/-', value: QA }]);
    await s.patch('/api/v2/roles/audited', [{ op: 'add', path: '/description', value: 'D' }, { op: 'remove', path: '/policy/1' }]);
    const entries = await audits('audited');
    expect(entries.map((e) => e.action)).toEqual(['createRole', 'updateBasePermissions', 'updatePolicy', 'updateDescription']);
    expect(entries[1]).toMatchObject({ kind: 'role', resource: 'role/audited', name: 'audited', description: 'updated the custom role audited', comment: 'ops need to see flags', delta: ops, before: created.body, after: res.body });
  });

  it('a patch that changes nothing writes nothing and tells nobody', async () => {
    const created = await create('same');
    const before = notices.length;
    let res: Response | undefined;
    expect(
      await changedBy(s.store, async () => (res = await s.patch('/api/v2/roles/same', [{ op: 'replace', path: '/name', value: 'same' }, { op: 'replace', path: '/policy', value: [{ ...FLAGS_IN_PROD, notActions: [] }] }]))),
    ).toBe(false);
    expect(res!.status).toBe(200);
    expect(res!.body).toEqual(created.body);
    expect(notices.length).toBe(before);
  });
});
