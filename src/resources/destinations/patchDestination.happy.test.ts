// Updating destinations: Terraform's JSON Patch (replace /name, /kind unchanged, /on, /config, secrets in full), the
// spec's one-field patch, `{comment, patch}` and merge patches. Each change raises version by one and is audited
// (updateName, updateConfiguration or updateOn) with its secrets masked; secrets sent back masked are kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchDestination', () => {
  let s: TestServer;
  const url = '/api/v2/destinations/shop/production';
  const stored = async (id: string) => JSON.parse((await s.store.db.selectFrom('destinations').select('doc').where('id', '=', id).executeTakeFirstOrThrow()).doc);
  const lastEntry = async (id: string) => {
    const item = (await s.get(`/api/v2/auditlog?spec=proj/shop:env/production:destination/${id}`)).body.items[0];
    return (await s.get(`/api/v2/auditlog/${item._id}`)).body;
  };
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it("Terraform's update: every managed field replaced, the kind unchanged; version 2; audited with secrets masked", async () => {
    const made = (await s.post(url, { name: 'mparticle-dest', kind: 'mparticle', config: { apiKey: 'apiKeyfromMParticle', secret: 'mParticleSecret', userIdentity: 'customer_id', environment: 'production' }, on: true })).body;
    const config = { apiKey: 'updatedApiKey', secret: 'updatedSecret', userIdentity: 'customer_id', environment: 'production' };
    const res = await s.patch(`${url}/${made._id}`, [
      { op: 'replace', path: '/name', value: 'updated-mparticle-dest' },
      { op: 'replace', path: '/kind', value: 'mparticle' },
      { op: 'replace', path: '/on', value: true },
      { op: 'replace', path: '/config', value: config },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...made, name: 'updated-mparticle-dest', version: 2, config: { ...config, apiKey: '********iKey', secret: '********cret' } });
    expect((await stored(made._id)).config).toEqual(config);
    const entry = await lastEntry(made._id);
    expect(entry.accesses).toEqual([{ action: 'updateName', resource: `proj/shop:env/production:destination/${made._id}` }]);
    expect(JSON.stringify(entry)).not.toMatch(/updatedApiKey|updatedSecret|apiKeyfromMParticle|mParticleSecret/);
  });

  it("one field of the config (the spec's example) keeps the others and the secrets; a merge patch; a comment", async () => {
    const made = (await s.post(url, { name: 'segment', kind: 'segment', config: { writeKey: 'super-secret-write-key', userIDContextKind: 'user' } })).body;
    const one = await s.patch(`${url}/${made._id}`, { comment: 'rename the kind', patch: [{ op: 'replace', path: '/config/userIDContextKind', value: 'account' }] });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ version: 2, config: { writeKey: '********-key', userIDContextKind: 'account' } });
    expect((await stored(made._id)).config).toEqual({ writeKey: 'super-secret-write-key', userIDContextKind: 'account' });
    expect((await lastEntry(made._id))).toMatchObject({ comment: 'rename the kind', accesses: [{ action: 'updateConfiguration' }] });

    // The config as read (masked) written back with one change: the secret is kept.
    const read = (await s.get(`${url}/${made._id}`)).body;
    const back = await s.patch(`${url}/${made._id}`, [{ op: 'replace', path: '/config', value: { ...read.config, anonymousIDContextKind: 'device' } }]);
    expect(back.body.version).toBe(3);
    expect((await stored(made._id)).config).toEqual({ writeKey: 'super-secret-write-key', userIDContextKind: 'account', anonymousIDContextKind: 'device' });

    const merged = await s.patch(`${url}/${made._id}`, { merge: { on: true, config: { writeKey: 'a-new-write-key-1234' } } });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ version: 4, on: true, config: { writeKey: '********1234', userIDContextKind: 'account' } });
    const entry = await lastEntry(made._id);
    expect(JSON.stringify(entry)).not.toContain('a-new-write-key');
  });

  it('a patch that changes nothing (or tests the version) keeps the version and records nothing', async () => {
    const made = (await s.post(url, { name: 'pubsub', kind: 'google-pubsub', config: { project: 'p', topic: 't' } })).body;
    const entries = (await s.get('/api/v2/auditlog')).body.items.length;
    const res = await s.patch(`${url}/${made._id}`, [
      { op: 'test', path: '/version', value: 1 },
      { op: 'replace', path: '/name', value: 'pubsub' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(made);
    expect((await s.get('/api/v2/auditlog')).body.items.length).toBe(entries);
    const on = await s.patch(`${url}/${made._id}`, [{ op: 'replace', path: '/on', value: true }]);
    expect(on.body).toMatchObject({ on: true, version: 2 });
    expect((await lastEntry(made._id)).accesses).toEqual([{ action: 'updateOn', resource: `proj/shop:env/production:destination/${made._id}` }]);
  });
});
