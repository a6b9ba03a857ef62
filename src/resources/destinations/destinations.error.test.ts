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
      "config.publicKey: is not the account's key pair's public key (the public_key of generate-warehouse-destination-key-pair)",
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
    await expectInvalid(() => s.patch(path, { patch: [], merge: {} }), 'merge: cannot be sent with patch: send a JSON Patch or a merge patch, not both');
    await expectInvalid(() => s.patch(path, [{ op: 'replace', path: '/on' }]), 'patch[0]: a replace operation needs a value');
    // The key pair and the trust policy take no body.
    await expectInvalid(() => s.post('/api/v2/destinations/generate-warehouse-destination-key-pair', {}), 'Invalid request body: this operation takes no body');
    await expectInvalid(() => s.post('/api/v2/destinations/projects/shop/environments/production/generate-trust-policy', { principal: 'x' }), 'Invalid request body: this operation takes no body');
    const conflict = await unchanged(() => s.patch(path, [{ op: 'test', path: '/version', value: 2 }, { op: 'replace', path: '/on', value: true }]));
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('optimistic_locking_error');
  });
});
