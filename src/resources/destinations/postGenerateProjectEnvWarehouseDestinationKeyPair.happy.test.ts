// An environment's own Snowflake key pair, driven as a generated client calls it (POST, no body): a real 2048-bit RSA
// pair, made once and kept (both halves); the same public key on later calls, another for another environment and
// for the account's pair; the first call audited on the environment's destinations. A Snowflake destination of the
// environment may name it; one of another environment may not.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postGenerateProjectEnvWarehouseDestinationKeyPair', () => {
  let s: TestServer;
  const url = (env: string) => `/api/v2/destinations/projects/shop/environments/${env}/generate-warehouse-destination-key-pair`;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it("201 with the environment's public key; its private key signs what the public key verifies; the same key again", async () => {
    const [first, second] = await Promise.all([s.post(url('production'), undefined), s.post(url('production'), undefined)]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    const { public_key: pem, public_key_pkcs8: bare } = first.body;
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    expect(bare).toBe(pem.replace(/-----[A-Z ]+-----|\n/g, ''));
    const publicKey = crypto.createPublicKey(pem);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const rows = await s.store.db.selectFrom('destination_environment_key_pairs').selectAll().execute();
    expect(rows).toHaveLength(1);
    const signature = crypto.sign('sha256', Buffer.from('export'), rows[0].private_key);
    expect(crypto.verify('sha256', Buffer.from('export'), publicKey, signature)).toBe(true);
    expect((await s.post(url('production'), undefined)).body).toEqual(first.body);

    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:env/production:destination/*')).body.items;
    expect(entries.filter((e: unknown) => JSON.stringify(e).includes('key pair of production'))).toHaveLength(1);
  });

  it("each environment has its own, apart from the account's; a Snowflake destination names its environment's", async () => {
    const production = (await s.post(url('production'), undefined)).body.public_key;
    const test = (await s.post(url('test'), undefined)).body.public_key;
    const account = (await s.post('/api/v2/destinations/generate-warehouse-destination-key-pair', undefined)).body.public_key;
    expect(new Set([production, test, account]).size).toBe(3);
    const snowflake = (publicKey: string) => ({ kind: 'snowflake-v2', config: { publicKey, snowflakeHostAddress: 'acme.snowflakecomputing.com' } });
    expect((await s.post('/api/v2/destinations/shop/production', snowflake(production))).status).toBe(201);
    expect((await s.post('/api/v2/destinations/shop/production', snowflake(account))).status).toBe(201);
    const other = await s.post('/api/v2/destinations/shop/production', snowflake(test));
    expect(other.status).toBe(400);
    expect(other.body.message).toContain('config.publicKey');
  });

  it('the pair goes with its environment', async () => {
    expect((await s.del('/api/v2/projects/shop/environments/test')).status).toBe(204);
    expect(await s.store.db.selectFrom('destination_environment_key_pairs').selectAll().execute()).toHaveLength(1);
  });
});
