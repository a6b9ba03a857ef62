// Deleting a Relay Proxy configuration: 204, gone from the list and by id, audited with what it was. (Its streams
// ending: src/sdk/streamRelayAutoConfig.happy.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteRelayAutoConfig', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('204; then 404 by id, absent from the list, and the deletion audited with the configuration before it', async () => {
    const kept = (await s.post('/api/v2/account/relay-auto-configs', { name: 'kept', policy: [] })).body;
    const made = (await s.post('/api/v2/account/relay-auto-configs', { name: 'doomed', policy: [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] }] })).body;
    const res = await s.del(`/api/v2/account/relay-auto-configs/${made._id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(`/api/v2/account/relay-auto-configs/${made._id}`)).status).toBe(404);
    expect((await s.get('/api/v2/account/relay-auto-configs')).body.items.map((item: { _id: string }) => item._id)).toEqual([kept._id]);
    const entry = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(full).toMatchObject({ kind: 'relay-proxy-config', name: 'doomed', accesses: [{ action: 'deleteRelayAutoConfiguration', resource: `relay-proxy-config/${made._id}` }] });
    expect(full.previousVersion).toMatchObject({ _id: made._id, name: 'doomed', displayKey: made.displayKey });
    expect(JSON.stringify(full)).not.toContain(made.fullKey);
    expect((await s.del(`/api/v2/account/relay-auto-configs/${made._id}`)).status).toBe(404);
  });
});
