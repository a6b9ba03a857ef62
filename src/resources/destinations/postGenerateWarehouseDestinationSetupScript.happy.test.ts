// Warehouse setup scripts, sent as a generated client sends them (JSON bodies, the spec's field names): Snowflake's
// creates the objects and a service user signing in with the environment's key pair (made by the setup when there
// is none: the same public key as generate-warehouse-destination-key-pair answers), with default names per
// environment or those sent, a network policy when asked; Redshift's creates a schema, role and user, names its
// staging bucket and, given the cluster, the IAM policies. The setup waits for complete-setup; a later one replaces it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postGenerateWarehouseDestinationSetupScript', () => {
  let s: TestServer;
  const setup = (kind: string, env = 'production') => `/api/v2/destinations/projects/shop/environments/${env}/kinds/${kind}/setup`;
  let environmentId: string;
  beforeAll(async () => {
    s = await startServer();
    const made = await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    environmentId = made.body.environments.find((e: { key: string }) => e.key === 'production')._id;
  });
  afterAll(() => s.close());

  it("Snowflake, by default: the environment's objects and a service user with its public key", async () => {
    const res = await s.post(setup('snowflake-v2'), undefined);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const pair = (await s.post('/api/v2/destinations/projects/shop/environments/production/generate-warehouse-destination-key-pair', undefined)).body;
    expect(res.body).toEqual({ script: expect.any(String), publicKey: pair.public_key, publicKeyPkcs8: pair.public_key_pkcs8 });
    expect(res.body.script).toBe(
      [
        '-- LaunchDarkly Data Export to Snowflake: project shop, environment production.',
        '-- Run as a user with the ACCOUNTADMIN role.',
        'USE ROLE ACCOUNTADMIN;',
        'CREATE ROLE IF NOT EXISTS LD_EXPORT_ROLE_SHOP__PRODUCTION;',
        'CREATE WAREHOUSE IF NOT EXISTS LD_EXPORT_WH WAREHOUSE_SIZE = XSMALL AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE;',
        'CREATE DATABASE IF NOT EXISTS LD_EXPORT;',
        'CREATE SCHEMA IF NOT EXISTS LD_EXPORT.EXPORT_SHOP__PRODUCTION;',
        'GRANT USAGE ON WAREHOUSE LD_EXPORT_WH TO ROLE LD_EXPORT_ROLE_SHOP__PRODUCTION;',
        'GRANT USAGE ON DATABASE LD_EXPORT TO ROLE LD_EXPORT_ROLE_SHOP__PRODUCTION;',
        'GRANT USAGE, CREATE TABLE, CREATE STAGE ON SCHEMA LD_EXPORT.EXPORT_SHOP__PRODUCTION TO ROLE LD_EXPORT_ROLE_SHOP__PRODUCTION;',
        'CREATE USER IF NOT EXISTS LD_EXPORT_USER_SHOP__PRODUCTION TYPE = SERVICE DEFAULT_ROLE = LD_EXPORT_ROLE_SHOP__PRODUCTION DEFAULT_WAREHOUSE = LD_EXPORT_WH DEFAULT_NAMESPACE = LD_EXPORT.EXPORT_SHOP__PRODUCTION;',
        `ALTER USER LD_EXPORT_USER_SHOP__PRODUCTION SET RSA_PUBLIC_KEY = '${pair.public_key_pkcs8}';`,
        'GRANT ROLE LD_EXPORT_ROLE_SHOP__PRODUCTION TO USER LD_EXPORT_USER_SHOP__PRODUCTION;',
        '',
      ].join('\n'),
    );
    const waiting = await s.store.db.selectFrom('destination_setups').selectAll().execute();
    expect(waiting.map((r) => [r.environment_id, r.kind])).toEqual([[environmentId, 'snowflake-v2']]);
  });

  it('Snowflake: the names sent, a network policy; a later setup replaces the waiting one, with the same key', async () => {
    const body = { name: 'Warehouse', snowflakeHostAddress: 'acme-xy12345.snowflakecomputing.com', databaseName: 'ANALYTICS', warehouseName: 'EXPORT_WH', roleName: 'LD_ROLE', schemaName: 'FLAGS', userName: 'LD_USER', includeNetworkPolicy: true };
    const before = (await s.post(setup('snowflake-v2'), {})).body.publicKey;
    const res = await s.post(setup('snowflake-v2'), body);
    expect(res.status).toBe(201);
    expect(res.body.publicKey).toBe(before);
    const script: string = res.body.script;
    expect(script).toContain('CREATE SCHEMA IF NOT EXISTS ANALYTICS.FLAGS;');
    expect(script).toContain('CREATE USER IF NOT EXISTS LD_USER TYPE = SERVICE DEFAULT_ROLE = LD_ROLE DEFAULT_WAREHOUSE = EXPORT_WH DEFAULT_NAMESPACE = ANALYTICS.FLAGS;');
    expect(script).toContain("CREATE NETWORK RULE IF NOT EXISTS ANALYTICS.FLAGS.LD_DATA_EXPORT_NETWORK_RULE TYPE = IPV4 MODE = INGRESS VALUE_LIST = ('192.0.2.1');");
    expect(script.trimEnd().split('\n').at(-1)).toBe('ALTER USER LD_USER SET NETWORK_POLICY = LD_DATA_EXPORT_NETWORK_POLICY_FLAGS;');
    const waiting = await s.store.db.selectFrom('destination_setups').selectAll().execute();
    expect(waiting).toHaveLength(1);
    expect(JSON.parse(waiting[0].doc)).toMatchObject({ name: 'Warehouse', snowflakeHostAddress: body.snowflakeHostAddress, names: { databaseName: 'ANALYTICS', schemaName: 'FLAGS' } });
  });

  it("Redshift: schema, role and user; the staging bucket; the IAM policies given the cluster's identifier, region and account", async () => {
    const plain = await s.post(setup('redshift'), {});
    expect(plain.status).toBe(201);
    const bucket = `ld-export-${environmentId}`;
    expect(plain.body).toEqual({ script: expect.any(String), s3BucketName: bucket });
    expect(plain.body.script).toBe(
      [
        '-- LaunchDarkly Data Export to Amazon Redshift: project shop, environment production.',
        '-- Run as a superuser connected to the database dev.',
        'CREATE SCHEMA IF NOT EXISTS ld_export_shop__production;',
        'CREATE ROLE ld_export_role_shop__production;',
        'GRANT USAGE, CREATE ON SCHEMA ld_export_shop__production TO ROLE ld_export_role_shop__production;',
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ld_export_shop__production TO ROLE ld_export_role_shop__production;',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA ld_export_shop__production GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ROLE ld_export_role_shop__production;',
        'CREATE USER ld_export_user_shop__production PASSWORD DISABLE;',
        'GRANT ROLE ld_export_role_shop__production TO ld_export_user_shop__production;',
        '',
      ].join('\n'),
    );
    const cluster = { clusterIdentifier: 'analytics', clusterRegion: 'us-west-2', clusterAwsAccountId: '123456789012', endpoint: 'analytics.abc123.us-west-2.redshift.amazonaws.com:5439', databaseName: 'warehouse' };
    const res = await s.post(setup('redshift'), cluster);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body.redshiftIAMPermissionsPolicy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['redshift:GetClusterCredentials'],
          Resource: ['arn:aws:redshift:us-west-2:123456789012:dbuser:analytics/ld_export_user_shop__production', 'arn:aws:redshift:us-west-2:123456789012:dbname:analytics/warehouse'],
        },
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`] },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [`arn:aws:s3:::${bucket}/*`] },
      ],
    });
    const trust = (await s.post('/api/v2/destinations/projects/shop/environments/production/generate-trust-policy', undefined)).body.awsTrustPolicy;
    expect(JSON.parse(res.body.redshiftIAMTrustPolicy)).toEqual(trust);
    const kinds = (await s.store.db.selectFrom('destination_setups').select('kind').orderBy('kind').execute()).map((r) => r.kind);
    expect(kinds).toEqual(['redshift', 'snowflake-v2']);
    const audited = (await s.get('/api/v2/auditlog?spec=proj/shop:env/production:destination/*')).body.items;
    expect(audited.filter((e: unknown) => JSON.stringify(e).includes('warehouse setup script'))).toHaveLength(5);
  });
});
