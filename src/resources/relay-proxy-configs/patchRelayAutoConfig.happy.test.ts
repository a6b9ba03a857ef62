// Updating Relay Proxy configurations: Terraform's patch (replace /name and /policy, with a comment), a merge patch,
// a bare JSON Patch array; each change audited under its action, a patch that changes nothing left unaudited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const ALL = [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] }];
const QA = [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/qa'] }];

describe('patchRelayAutoConfig', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 11, 5);
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
  });
  afterAll(() => s.close());

  async function entries(id: string): Promise<any[]> {
    return (await s.get('/api/v2/auditlog?limit=20')).body.items.filter((item: any) => item.target?.resources?.includes(`relay-proxy-config/${id}`));
  }

  it("Terraform's patch: name and policy replaced, lastModified moved, the key unchanged; audited with the comment", async () => {
    const made = (await s.post('/api/v2/account/relay-auto-configs', { name: 'before', policy: ALL })).body;
    clock += 1000;
    const res = await s.patch(`/api/v2/account/relay-auto-configs/${made._id}`, {
      patch: [
        { op: 'replace', path: '/name', value: 'after' },
        { op: 'replace', path: '/policy', value: QA },
      ],
      comment: 'Terraform',
    });
    expect(res.status).toBe(200);
    const { fullKey: _key, ...shown } = made;
    expect(res.body).toEqual({ ...shown, name: 'after', policy: [{ effect: 'allow', resources: ['proj/*:env/qa'], actions: ['*'] }], lastModified: clock });
    expect((await s.get(`/api/v2/account/relay-auto-configs/${made._id}`)).body).toEqual(res.body);
    const [entry] = await entries(made._id);
    expect(entry).toMatchObject({ kind: 'relay-proxy-config', name: 'after', comment: 'Terraform' });
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(full.accesses).toEqual([{ action: 'updateRelayAutoConfigurationName', resource: `relay-proxy-config/${made._id}` }]);
    expect(full.previousVersion).toMatchObject({ name: 'before' });
    expect(full.currentVersion).toMatchObject({ name: 'after' });
  });

  it('a merge patch and a bare JSON Patch array; a policy-only change is audited as updateRelayAutoConfigurationPolicy', async () => {
    const made = (await s.post('/api/v2/account/relay-auto-configs', { name: 'merge', policy: ALL })).body;
    const merged = await s.patch(`/api/v2/account/relay-auto-configs/${made._id}`, { merge: { policy: QA }, comment: 'narrower' });
    expect(merged.status).toBe(200);
    expect(merged.body.policy).toEqual([{ effect: 'allow', resources: ['proj/*:env/qa'], actions: ['*'] }]);
    const [entry] = await entries(made._id);
    expect((await s.get(`/api/v2/auditlog/${entry._id}`)).body.accesses).toEqual([{ action: 'updateRelayAutoConfigurationPolicy', resource: `relay-proxy-config/${made._id}` }]);
    const bare = await s.patch(`/api/v2/account/relay-auto-configs/${made._id}`, [{ op: 'add', path: '/policy/-', value: { effect: 'deny', resources: ['proj/secret:env/*'], actions: ['*'] } }]);
    expect(bare.status).toBe(200);
    expect(bare.body.policy).toHaveLength(2);
  });

  it('a patch that changes nothing: 200 with the configuration as it was, no audit entry, lastModified kept', async () => {
    const made = (await s.post('/api/v2/account/relay-auto-configs', { name: 'same', policy: ALL })).body;
    clock += 1000;
    const before = await entries(made._id);
    const res = await s.patch(`/api/v2/account/relay-auto-configs/${made._id}`, { patch: [{ op: 'replace', path: '/name', value: 'same' }, { op: 'test', path: '/displayKey', value: made.displayKey }] });
    expect(res.status).toBe(200);
    expect(res.body.lastModified).toBe(made.lastModified);
    expect(await entries(made._id)).toHaveLength(before.length);
  });
});
