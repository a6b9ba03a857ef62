// The official REST client (launchdarkly-api-typescript) manages Data Export destinations over real HTTP, unchanged,
// as Terraform's launchdarkly_destination does: DataExportDestinationsApi.postDestination (name, kind, config, on),
// getDestination after each write, patchDestination with replace /name, /kind (unchanged), /on and /config (secrets
// in full, as Terraform keeps them), getDestinations, deleteDestination; and postGenerateWarehouseDestinationKeyPair
// for a Snowflake destination. Every field of Destination comes back deserialized, secrets masked; an unknown id or
// environment is a 404 error naming it, a missing config field a 400 naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, DataExportDestinationsApi, type Destination } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

describe('Data Export destinations through launchdarkly-api-typescript (DataExportDestinationsApi)', () => {
  let s: TestServer;
  let destinations: DataExportDestinationsApi;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    destinations = new DataExportDestinationsApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it("Terraform's lifecycle: create, read, update every managed field, list, delete", async () => {
    const created = await destinations.postDestination('shop', 'production', { name: 'segment-dest', kind: 'segment', config: { writeKey: 'super-secret-write-key' }, on: true });
    expect(created.status).toBe(201);
    const id = created.data._id!;
    const writer = (await s.get('/api/v2/members/me', { token: s.tokens.writer })).body;
    // 2026-07's createdAt and maintainerId (the member who created it), which client 17.2.0's Destination predates.
    const expected: Destination & { createdAt: number; maintainerId: string } = {
      _id: id,
      _links: {
        parent: { href: '/api/v2/destinations', type: 'application/json' },
        self: { href: `/api/v2/destinations/shop/production/${id}`, type: 'application/json' },
      },
      name: 'segment-dest',
      kind: 'segment',
      version: 1,
      config: { writeKey: '********-key' },
      on: true,
      createdAt: expect.any(Number),
      maintainerId: writer._id,
    };
    expect(created.data).toEqual(expected);
    expect((await destinations.getDestination('shop', 'production', id)).data).toEqual(expected);

    const updated = await destinations.patchDestination('shop', 'production', id, [
      { op: 'replace', path: '/name', value: 'segment-dest (renamed)' },
      { op: 'replace', path: '/kind', value: 'segment' },
      { op: 'replace', path: '/on', value: false },
      { op: 'replace', path: '/config', value: { writeKey: 'updated-write-key', userIDContextKind: 'user' } },
    ]);
    expect(updated.status).toBe(200);
    const after = { ...expected, name: 'segment-dest (renamed)', version: 2, on: false, config: { writeKey: '********-key', userIDContextKind: 'user' } };
    expect(updated.data).toEqual(after);
    expect((await destinations.getDestination('shop', 'production', id)).data).toEqual(after);
    expect((await destinations.getDestinations()).data).toEqual({ _links: { self: { href: '/api/v2/destinations', type: 'application/json' } }, items: [after] });

    expect((await destinations.deleteDestination('shop', 'production', id)).status).toBe(204);
    const gone = await clientFailure(destinations.getDestination('shop', 'production', id));
    expect(gone).toEqual({ status: 404, data: { code: 'not_found', message: `Destination "${id}" not found` } });
  });

  it('a Snowflake destination with the generated key pair', async () => {
    const pair = await destinations.postGenerateWarehouseDestinationKeyPair();
    expect(pair.status).toBe(201);
    expect(pair.data).toEqual({ public_key: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----\n/), public_key_pkcs8: expect.stringMatching(/^MIIBIjAN[A-Za-z0-9+/=]+$/) });
    const made = await destinations.postDestination('shop', 'test', { name: 'warehouse', kind: 'snowflake-v2', config: { publicKey: pair.data.public_key, snowflakeHostAddress: 'acme.snowflakecomputing.com' }, on: true });
    expect(made.status).toBe(201);
    expect(made.data.config).toEqual({ publicKey: pair.data.public_key, snowflakeHostAddress: 'acme.snowflakecomputing.com' });
  });

  it('errors: a missing config field, an unknown environment', async () => {
    const invalid = await clientFailure(destinations.postDestination('shop', 'production', { name: 'kinesis', kind: 'kinesis', config: { region: 'us-east-1', streamName: 'cat-stream' } }));
    expect(invalid.status).toBe(400);
    expect(invalid.data.message).toBe('config.roleArn: is required for kinesis destinations, as a non-empty string');
    const missing = await clientFailure(destinations.postDestination('shop', 'nope', { kind: 'segment', config: { writeKey: 'k' } }));
    expect(missing).toEqual({ status: 404, data: { code: 'not_found', message: 'Environment "nope" in project "shop" not found' } });
  });
});
