// Bad input to the destination operations: a 400 naming the field and its problem (each kind's required config
// fields among them), a 404 naming the missing project, environment or destination, a 409 for a failed test; never a
// partial write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unchangedBy, expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('destinations: errors', () => {
  let s: TestServer;
  const url = '/api/v2/destinations/shop/production';
  let pubsubId: string;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    pubsubId = (await s.post(url, { name: 'pubsub', kind: 'google-pubsub', config: { project: 'p', topic: 't' } })).body._id;
  });
  afterAll(() => s.close());

  const unchanged = (send: () => Promise<Response>) => unchangedBy(s.store, send);
  const expectInvalid = (send: () => Promise<Response>, message: string) => expectRefused(s.store, send, 400, 'invalid_request', message);

  it('404s name the missing project, environment or destination', async () => {
    const missing: [() => Promise<Response>, string][] = [
      [() => s.post('/api/v2/destinations/nope/production', { kind: 'segment', config: { writeKey: 'k' } }), 'Project "nope" not found'],
      [() => s.post('/api/v2/destinations/shop/nope', { kind: 'segment', config: { writeKey: 'k' } }), 'Environment "nope" in project "shop" not found'],
      [() => s.get(`${url}/0123456789abcdef01234567`), 'Destination "0123456789abcdef01234567" not found'],
      // A destination is found only in its own environment.
      [() => s.get(`/api/v2/destinations/shop/test/${pubsubId}`), `Destination "${pubsubId}" not found`],
      [() => s.patch(`${url}/0123456789abcdef01234567`, [{ op: 'replace', path: '/on', value: true }]), 'Destination "0123456789abcdef01234567" not found'],
      [() => s.del(`${url}/0123456789abcdef01234567`), 'Destination "0123456789abcdef01234567" not found'],
      [() => s.post('/api/v2/destinations/projects/shop/environments/nope/generate-trust-policy', undefined), 'Environment "nope" in project "shop" not found'],
      [() => s.post('/api/v2/destinations/projects/nope/environments/production/generate-trust-policy', undefined), 'Project "nope" not found'],
    ];
    for (const [send, message] of missing) {
      const res = await unchanged(send);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message });
    }
  });

  it('POST: the body, its kind, name and on', async () => {
    await expectInvalid(() => s.post(url, { config: { project: 'p', topic: 't' } }), 'kind: must be present');
    await expectInvalid(() => s.post(url, { kind: 'webhook', config: {} }), 'kind: must be one of "google-pubsub", "kinesis", "mparticle", "segment", "azure-event-hubs", "snowflake-v2", "databricks", "bigquery", "redshift"');
    await expectInvalid(() => s.post(url, { kind: 'segment' }), 'config: must be present');
    await expectInvalid(() => s.post(url, { kind: 'segment', config: 'writeKey=k' }), 'config: must be an object');
    await expectInvalid(() => s.post(url, { kind: 'segment', config: { writeKey: 'k' }, name: '' }), 'name: must not be empty');
    await expectInvalid(() => s.post(url, { kind: 'segment', config: { writeKey: 'k' }, on: 'yes' }), 'on: must be a boolean');
    await expectInvalid(() => s.post(url, { kind: 'segment', config: { writeKey: 'k' }, tags: ['terraform'] }), 'tags: is not allowed');
  });

  it("POST: each kind's required config fields, named", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['google-pubsub', { project: 'p' }, 'config.topic: is required for google-pubsub destinations, as a non-empty string'],
      ['kinesis', { region: 'us-east-1', streamName: 's' }, 'config.roleArn: is required for kinesis destinations, as a non-empty string'],
      ['kinesis', { region: 'us-east-1', roleArn: 42, streamName: 's' }, 'config.roleArn: is required for kinesis destinations, as a non-empty string'],
      ['segment', { writeKey: '  ' }, 'config.writeKey: is required for segment destinations, as a non-empty string'],
      ['segment', { writeKey: 'k', userIDContextKind: 1 }, 'config.userIDContextKind: must be a string'],
      ['azure-event-hubs', { namespace: 'n', name: 'n', policyName: 'p' }, 'config.policyKey: is required for azure-event-hubs destinations, as a non-empty string'],
      ['mparticle', { secret: 's', userIdentity: 'customer_id' }, 'config.apiKey: is required for mparticle destinations, as a non-empty string'],
      ['mparticle', { apiKey: 'k', secret: 's' }, 'config.userIdentity: is required for mparticle destinations (or config.userIdentities): the mParticle identity your users are known by'],
      ['mparticle', { apiKey: 'k', secret: 's', userIdentity: 'customer_id', environment: 'staging' }, 'config.environment: must be "production" or "development"'],
      ['mparticle', { apiKey: 'k', secret: 's', userIdentities: [{ ldContextKind: 'user' }] }, 'config.userIdentities[0].mparticleUserIdentity: must be a non-empty string'],
      ['snowflake-v2', { snowflakeHostAddress: 'acme.snowflakecomputing.com' }, 'config.publicKey: is required for snowflake-v2 destinations, as a non-empty string'],
      [
        'snowflake-v2',
        { publicKey: 'MIIBIjANBg', snowflakeHostAddress: 'acme.snowflakecomputing.com' },
        'config.publicKey: no key pair was generated yet: POST /api/v2/destinations/generate-warehouse-destination-key-pair and use its public_key',
      ],
    ];
    for (const [kind, config, message] of cases) await expectInvalid(() => s.post(url, { kind, config }), message);
    await s.post('/api/v2/destinations/generate-warehouse-destination-key-pair', undefined);
    await expectInvalid(
      () => s.post(url, { kind: 'snowflake-v2', config: { publicKey: 'MIIBIjANBg', snowflakeHostAddress: 'acme.snowflakecomputing.com' } }),
      "config.publicKey: is not the account's key pair's public key (the public_key of generate-warehouse-destination-key-pair) nor the environment's",
    );
  });

  it('PATCH: what may change, and what it must stay', async () => {
    const path = `${url}/${pubsubId}`;
    await expectInvalid(() => s.patch(path, [{ op: 'replace', path: '/kind', value: 'kinesis' }]), '/kind: is read-only and cannot be changed');
    await expectInvalid(() => s.patch(path, [{ op: 'replace', path: '/version', value: 7 }]), '/version: is read-only and cannot be changed');
    await expectInvalid(() => s.patch(path, [{ op: 'add', path: '/tags', value: ['terraform'] }]), '/tags: is not a field that can be patched; patchable fields are name, config, on');
    await expectInvalid(() => s.patch(path, [{ op: 'replace', path: '/name', value: '' }]), 'name: must not be empty');
    await expectInvalid(() => s.patch(path, [{ op: 'remove', path: '/config/topic' }]), 'config.topic: is required for google-pubsub destinations, as a non-empty string');
    await expectInvalid(() => s.patch(path, [{ op: 'replace', path: '/config', value: ['p', 't'] }]), 'config: must be an object');
    await expectInvalid(() => s.patch(path, { merge: { on: 'yes' } }), 'on: must be a boolean');
    await expectInvalid(() => s.patch(path, { merge: 'on' }), 'merge: must be an object (RFC 7386 JSON merge patch of the destination)');
    await expectInvalid(() => s.patch(path, { patch: [], merge: {} }), 'merge: cannot be sent with patch: send one of a JSON Patch (patch), a merge patch (merge) or a semantic patch (instructions)');
    await expectInvalid(() => s.patch(path, [{ op: 'replace', path: '/on' }]), 'patch[0]: a replace operation needs a value');
    // The key pair and the trust policy take no body.
    await expectInvalid(() => s.post('/api/v2/destinations/generate-warehouse-destination-key-pair', {}), 'Invalid request body: this operation takes no body');
    await expectInvalid(() => s.post('/api/v2/destinations/projects/shop/environments/production/generate-trust-policy', { principal: 'x' }), 'Invalid request body: this operation takes no body');
    const conflict = await unchanged(() => s.patch(path, [{ op: 'test', path: '/version', value: 2 }, { op: 'replace', path: '/on', value: true }]));
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('optimistic_locking_error');
  });

  it('the warehouse setup: 404s name the missing project, environment or waiting setup', async () => {
    const env = '/api/v2/destinations/projects/shop/environments';
    const missing: [() => Promise<Response>, string][] = [
      [() => s.post(`${env}/nope/generate-warehouse-destination-key-pair`, undefined), 'Environment "nope" in project "shop" not found'],
      [() => s.post('/api/v2/destinations/projects/nope/environments/production/generate-warehouse-destination-key-pair', undefined), 'Project "nope" not found'],
      [() => s.post(`${env}/nope/kinds/snowflake-v2/setup`, {}), 'Environment "nope" in project "shop" not found'],
      [() => s.post('/api/v2/destinations/projects/nope/environments/production/kinds/redshift/setup', {}), 'Project "nope" not found'],
      [() => s.post(`${env}/nope/kinds/redshift/complete-setup`, {}), 'Environment "nope" in project "shop" not found'],
      [() => s.post(`${env}/production/kinds/snowflake-v2/complete-setup`, { publicKey: 'MIIB' }), 'Pending snowflake-v2 destination setup of environment "production" not found'],
      // No setup script is made for BigQuery: none ever waits.
      [() => s.post(`${env}/production/kinds/bigquery/complete-setup`, {}), 'Pending bigquery destination setup of environment "production" not found'],
    ];
    for (const [send, message] of missing) {
      const res = await unchanged(send);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message });
    }
  });

  it('the warehouse setup script: its kind, and each field for the kind, named', async () => {
    const setup = (kind: string) => `/api/v2/destinations/projects/shop/environments/production/kinds/${kind}/setup`;
    await expectInvalid(() => s.post(setup('bigquery'), {}), 'kind: must be one of snowflake-v2, redshift, not "bigquery"');
    await expectInvalid(() => s.post(setup('clickhouse'), {}), 'kind: clickhouse destinations are not kept by iterlab (no Data Export destination kind is clickhouse)');
    await expectInvalid(() => s.post(setup('snowflake-v2'), { name: '' }), 'name: must not be empty');
    await expectInvalid(() => s.post(setup('snowflake-v2'), { includeNetworkPolicy: 'yes' }), 'includeNetworkPolicy: must be a boolean');
    await expectInvalid(() => s.post(setup('snowflake-v2'), { s3BucketName: 'mine' }), 's3BucketName: is not allowed');
    await expectInvalid(() => s.post(setup('snowflake-v2'), { databaseName: 'LD; DROP DATABASE PROD' }), 'databaseName: must be an unquoted identifier: a letter or _, then letters, digits, _ or $ (at most 127)');
    await expectInvalid(() => s.post(setup('snowflake-v2'), { userName: '9lives' }), 'userName: must be an unquoted identifier: a letter or _, then letters, digits, _ or $ (at most 127)');
    await expectInvalid(() => s.post(setup('snowflake-v2'), { snowflakeHostAddress: "acme.snowflakecomputing.com'" }), 'snowflakeHostAddress: must be a host name such as acme-xy12345.snowflakecomputing.com');
    await expectInvalid(() => s.post(setup('snowflake-v2'), { clusterIdentifier: 'analytics' }), 'clusterIdentifier: applies to redshift destinations, not snowflake-v2');
    await expectInvalid(() => s.post(setup('snowflake-v2'), { clickHousePassword: 'secret' }), 'clickHousePassword: applies to clickhouse destinations, not snowflake-v2');
    await expectInvalid(() => s.post(setup('redshift'), { warehouseName: 'WH' }), 'warehouseName: applies to snowflake-v2 destinations, not redshift');
    await expectInvalid(() => s.post(setup('redshift'), { clusterRegion: 'mars' }), 'clusterRegion: must be an AWS region such as us-west-2');
    await expectInvalid(() => s.post(setup('redshift'), { clusterAwsAccountId: '1234' }), 'clusterAwsAccountId: must be a 12-digit AWS account id');
    await expectInvalid(() => s.post(setup('redshift'), { clusterIdentifier: 'Analytics!' }), 'clusterIdentifier: must be a Redshift cluster identifier: lower-case letters, digits and hyphens, starting with a letter');
    await expectInvalid(() => s.post(setup('redshift'), { endpoint: 'a b' }), 'endpoint: must be a host name (and port) such as examplecluster.abc123.us-west-2.redshift.amazonaws.com:5439');
    await expectInvalid(() => s.post('/api/v2/destinations/projects/shop/environments/production/generate-warehouse-destination-key-pair', {}), 'Invalid request body: this operation takes no body');
  });

  it("completing a setup: its kind, the environment's public key, the host address", async () => {
    const kinds = '/api/v2/destinations/projects/shop/environments/production/kinds';
    await expectInvalid(() => s.post(`${kinds}/clickhouse/complete-setup`, {}), 'kind: clickhouse destinations are not kept by iterlab (no Data Export destination kind is clickhouse)');
    await expectInvalid(() => s.post(`${kinds}/kinesis/complete-setup`, {}), 'kind: must be one of snowflake-v2, bigquery, redshift, not "kinesis"');
    await expectInvalid(() => s.post(`${kinds}/redshift/complete-setup`, { publicKey: 'MIIB' }), 'publicKey: applies to snowflake-v2 destinations, not redshift');
    await expectInvalid(() => s.post(`${kinds}/snowflake-v2/complete-setup`, { publicKey: 42 }), 'publicKey: must be a string');
    await expectInvalid(() => s.post(`${kinds}/snowflake-v2/complete-setup`, { publicKey: 'MIIB', extra: 1 }), 'extra: is not allowed');
    const setup = await s.post(`${kinds}/snowflake-v2/setup`, {});
    expect(setup.status).toBe(201);
    const account = (await s.post('/api/v2/destinations/generate-warehouse-destination-key-pair', undefined)).body.public_key;
    await expectInvalid(() => s.post(`${kinds}/snowflake-v2/complete-setup`, {}), 'publicKey: is required: the publicKey (or publicKeyPkcs8) the setup answered; snowflakeHostAddress: is required: send it here or to the setup');
    await expectInvalid(
      () => s.post(`${kinds}/snowflake-v2/complete-setup`, { publicKey: account, snowflakeHostAddress: 'acme.snowflakecomputing.com' }),
      "publicKey: is not the environment's key pair's public key (the publicKey the setup answered)",
    );
    await expectInvalid(() => s.post(`${kinds}/snowflake-v2/complete-setup`, { publicKey: setup.body.publicKey }), 'snowflakeHostAddress: is required: send it here or to the setup');
    // Still waiting: a right completion makes the destination.
    expect((await s.post(`${kinds}/snowflake-v2/complete-setup`, { publicKey: setup.body.publicKey, snowflakeHostAddress: 'acme.snowflakecomputing.com' })).status).toBe(201);
  });
});
