// Completing a warehouse setup, as a generated client calls it: the waiting setup becomes a Data Export destination
// (201), which the destination reads answer: Snowflake's config holds the public key sent back, the host address and
// the object names; Redshift's the names and staging bucket, with its script again as completedArtifacts. A setup is
// completed once; the creation is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postCompleteWarehouseDestinationSetup', () => {
  let s: TestServer;
  const base = '/api/v2/destinations/projects/shop/environments/production/kinds';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('Snowflake: the destination made of the setup and the public key it answered', async () => {
    const setup = await s.post(`${base}/snowflake-v2/setup`, { name: 'Snowflake export', databaseName: 'ANALYTICS' });
    expect(setup.status).toBe(201);
    // The bare key (publicKeyPkcs8) serves as well as the PEM; the host address may come now.
    const res = await s.post(`${base}/snowflake-v2/complete-setup`, { publicKey: setup.body.publicKeyPkcs8, snowflakeHostAddress: 'acme-xy12345.snowflakecomputing.com' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _links: { parent: { href: '/api/v2/destinations', type: 'application/json' }, self: { href: `/api/v2/destinations/shop/production/${res.body._id}`, type: 'application/json' } },
      name: 'Snowflake export',
      kind: 'snowflake-v2',
      version: 1,
      config: {
        publicKey: setup.body.publicKeyPkcs8,
        snowflakeHostAddress: 'acme-xy12345.snowflakecomputing.com',
        databaseName: 'ANALYTICS',
        schemaName: 'EXPORT_SHOP__PRODUCTION',
        warehouseName: 'LD_EXPORT_WH',
        roleName: 'LD_EXPORT_ROLE_SHOP__PRODUCTION',
        userName: 'LD_EXPORT_USER_SHOP__PRODUCTION',
      },
      on: true,
      // 2026-07: made when the setup was completed, maintained by the member who completed it.
      createdAt: expect.any(Number),
      maintainerId: (await s.get('/api/v2/members/me')).body._id,
    });
    expect(Number((await s.store.db.selectFrom('destinations').select('created_at').where('id', '=', res.body._id).executeTakeFirstOrThrow()).created_at)).toBe(res.body.createdAt);
    expect((await s.get(`/api/v2/destinations/shop/production/${res.body._id}`)).body).toEqual(res.body);
    expect((await s.get('/api/v2/destinations')).body.items).toEqual([res.body]);
    // Completed once.
    const again = await s.post(`${base}/snowflake-v2/complete-setup`, { publicKey: setup.body.publicKey });
    expect(again.status).toBe(404);
    expect(await s.store.db.selectFrom('destination_setups').selectAll().execute()).toEqual([]);
    const audited = (await s.get(`/api/v2/auditlog?spec=proj/shop:env/production:destination/${res.body._id}`)).body.items;
    expect(audited.filter((e: unknown) => JSON.stringify(e).includes('completed the setup of the snowflake-v2 Data Export destination Snowflake export'))).toHaveLength(1);
  });

  it("Snowflake: the host address given to the setup; the PEM key; the destination's patch checks it again", async () => {
    const setup = await s.post(`${base}/snowflake-v2/setup`, { snowflakeHostAddress: 'acme.snowflakecomputing.com' });
    const res = await s.post(`${base}/snowflake-v2/complete-setup`, { publicKey: setup.body.publicKey });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.config).toMatchObject({ publicKey: setup.body.publicKey, snowflakeHostAddress: 'acme.snowflakecomputing.com' });
    expect(res.body.name).toBe('snowflake-v2');
    const patched = await s.patch(`/api/v2/destinations/shop/production/${res.body._id}`, [{ op: 'replace', path: '/on', value: false }]);
    expect(patched.status).toBe(200);
  });

  it('Redshift: the names and staging bucket, and the script again in completedArtifacts on every read', async () => {
    const setup = await s.post(`${base}/redshift/setup`, { name: 'Redshift export', clusterIdentifier: 'analytics', clusterRegion: 'us-west-2', clusterAwsAccountId: '123456789012', endpoint: 'analytics.abc.us-west-2.redshift.amazonaws.com:5439' });
    expect(setup.status).toBe(201);
    const res = await s.post(`${base}/redshift/complete-setup`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Redshift export',
      kind: 'redshift',
      config: {
        databaseName: 'dev',
        schemaName: 'ld_export_shop__production',
        roleName: 'ld_export_role_shop__production',
        userName: 'ld_export_user_shop__production',
        s3BucketName: setup.body.s3BucketName,
        endpoint: 'analytics.abc.us-west-2.redshift.amazonaws.com:5439',
        clusterIdentifier: 'analytics',
        clusterRegion: 'us-west-2',
        clusterAwsAccountId: '123456789012',
      },
      on: true,
      completedArtifacts: { sqlSetupScript: setup.body.script, s3BucketName: setup.body.s3BucketName },
    });
    expect((await s.get(`/api/v2/destinations/shop/production/${res.body._id}`)).body).toEqual(res.body);
  });
});
