// Creating destinations of every kind as Terraform's launchdarkly_destination and the spec's examples send them: 201
// with the Destination representation (version 1, links to itself and the list), secrets masked on every read,
// listed account-wide, audited without secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postDestination, getDestination, getDestinations', () => {
  let s: TestServer;
  const url = (env = 'production') => `/api/v2/destinations/shop/${env}`;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('201 with the representation; read back and listed the same', async () => {
    const me = (await s.get('/api/v2/members/me')).body;
    const before = Date.now();
    const res = await s.post(url(), { name: 'Pub/Sub', kind: 'google-pubsub', config: { project: 'test-prod', topic: 'ld-pubsub-test-192301' }, on: true });
    expect(res.status).toBe(201);
    const id = res.body._id;
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _links: {
        parent: { href: '/api/v2/destinations', type: 'application/json' },
        self: { href: `/api/v2/destinations/shop/production/${id}`, type: 'application/json' },
      },
      name: 'Pub/Sub',
      kind: 'google-pubsub',
      version: 1,
      config: { project: 'test-prod', topic: 'ld-pubsub-test-192301' },
      on: true,
      // 2026-07: when it was made, and its maintainer: the member who made it.
      createdAt: expect.any(Number),
      maintainerId: me._id,
    });
    expect(res.body.createdAt).toBeGreaterThanOrEqual(before);
    expect(res.body.createdAt).toBeLessThanOrEqual(Date.now());
    expect((await s.get(`${url()}/${id}`)).body).toEqual(res.body);
    const list = await s.get('/api/v2/destinations');
    expect(list.body).toEqual({ _links: { self: { href: '/api/v2/destinations', type: 'application/json' } }, items: [res.body] });
  });

  it("every kind Terraform manages, with its config; secrets masked (the last four characters kept when 12 or more)", async () => {
    const bodies = [
      { name: 'kinesis-dest', kind: 'kinesis', config: { region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/marketingadmin', streamName: 'cat-stream' }, on: true },
      { name: 'mparticle-dest', kind: 'mparticle', config: { apiKey: 'apiKeyfromMParticle', secret: 'short', userIdentity: 'customer_id', environment: 'production' }, on: true },
      { name: 'segment-dest', kind: 'segment', config: { writeKey: 'super-secret-write-key' }, on: true },
      { name: 'azure', kind: 'azure-event-hubs', config: { namespace: 'namespace', name: 'name', policyName: 'policy-name', policyKey: 'super-secret-policy-key' }, on: false },
      { name: 'identities', kind: 'mparticle', config: { apiKey: 'k', secret: 's', environment: 'development', userIdentities: [{ ldContextKind: 'user', mparticleUserIdentity: 'customer_id' }] }, on: false },
    ];
    const made = [];
    for (const body of bodies) {
      const res = await s.post(url('test'), body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      made.push(res.body);
    }
    expect(made.map((d) => d.config)).toEqual([
      bodies[0].config,
      { apiKey: '********icle', secret: '********', userIdentity: 'customer_id', environment: 'production' },
      { writeKey: '********-key' },
      { namespace: 'namespace', name: 'name', policyName: 'policy-name', policyKey: '********-key' },
      { apiKey: '********', secret: '********', environment: 'development', userIdentities: [{ ldContextKind: 'user', mparticleUserIdentity: 'customer_id' }] },
    ]);
    expect((await s.get(`${url('test')}/${made[2]._id}`)).body.config).toEqual({ writeKey: '********-key' });
    // Stored as sent.
    const row = await s.store.db.selectFrom('destinations').select('doc').where('id', '=', made[2]._id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.doc).config).toEqual({ writeKey: 'super-secret-write-key' });
    // The audit entry shows the destination as reads do.
    const entry = (await s.get(`/api/v2/auditlog?spec=proj/shop:env/test:destination/${made[2]._id}`)).body.items[0];
    expect(entry.accesses).toEqual([{ action: 'createDestination', resource: `proj/shop:env/test:destination/${made[2]._id}` }]);
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(JSON.stringify(full)).not.toContain('super-secret');
  });

  it('name defaults to the kind and on to false; kinds without documented fields keep any object', async () => {
    const res = await s.post(url(), { kind: 'databricks', config: { host: 'dbc.example.com', token: 'dapi-0123456789abcdef' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'databricks', on: false, config: { host: 'dbc.example.com', token: '********cdef' } });
  });

  it('Snowflake: the public key of the key pair, as PEM or as bare base64', async () => {
    const pair = (await s.post('/api/v2/destinations/generate-warehouse-destination-key-pair', undefined)).body;
    for (const publicKey of [pair.public_key, pair.public_key_pkcs8]) {
      const res = await s.post(url(), { name: 'warehouse', kind: 'snowflake-v2', config: { publicKey, snowflakeHostAddress: 'acme.snowflakecomputing.com' }, on: true });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.config.publicKey).toBe(publicKey);
    }
  });
});
