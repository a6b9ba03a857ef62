// The account's Snowflake key pair: a real 2048-bit RSA pair, made once and kept (both halves); its public key as PEM
// and as the bare base64 Snowflake takes; later calls answer the same key; the first is audited.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postGenerateWarehouseDestinationKeyPair', () => {
  let s: TestServer;
  const url = '/api/v2/destinations/generate-warehouse-destination-key-pair';
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('201 with the public key; the private key kept signs what the public key verifies; the same key again after', async () => {
    const [first, second] = await Promise.all([s.post(url, undefined), s.post(url, undefined)]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    const { public_key: pem, public_key_pkcs8: bare } = first.body;
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    expect(bare).toBe(pem.replace(/-----[A-Z ]+-----|\n/g, ''));
    const publicKey = crypto.createPublicKey(pem);
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(crypto.createPublicKey({ key: Buffer.from(bare, 'base64'), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' })).toBe(pem);

    const rows = await s.store.db.selectFrom('destination_key_pairs').selectAll().execute();
    expect(rows).toHaveLength(1);
    const signature = crypto.sign('sha256', Buffer.from('export'), rows[0].private_key);
    expect(crypto.verify('sha256', Buffer.from('export'), publicKey, signature)).toBe(true);

    const entries = (await s.get('/api/v2/auditlog?spec=proj/*:env/*:destination/*')).body.items;
    expect(entries.filter((e: { title?: string; description?: string }) => JSON.stringify(e).includes('key pair'))).toHaveLength(1);
    expect((await s.post(url, undefined)).body).toEqual(first.body);
  });
});
