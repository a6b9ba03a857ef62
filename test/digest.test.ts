// The store digest that the error suites compare around refused requests (test/support/digest.ts): it answers its last
// hash again while no write was committed, so these check that no committed change slips past it, on both databases.
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from './support/digest.js';
import { testDb } from './support/db.js';
import { startServer, type TestServer } from './support/server.js';

describe(`digestStore (${testDb})`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'digest', name: 'Digest', environments: [{ key: 'production', name: 'Production', color: '000000' }] })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('is the same while nothing is written, and changes with each committed write', async () => {
    const first = await digestStore(s.store);
    expect(await digestStore(s.store)).toBe(first);
    expect((await s.get('/api/v2/projects/digest')).status).toBe(200);
    expect(await digestStore(s.store)).toBe(first);

    expect((await s.patch('/api/v2/projects/digest', [{ op: 'replace', path: '/name', value: 'Digest 2' }])).status).toBe(200);
    const second = await digestStore(s.store);
    expect(second).not.toBe(first);
    expect(await digestStore(s.store)).toBe(second);
    // A write straight to the store, not through a request.
    await sql`update projects set name = 'Digest 3' where key = 'digest'`.execute(s.store.db);
    expect(await digestStore(s.store)).not.toBe(second);
  });

  it('is the same after a refused request and after a rolled-back write', async () => {
    const before = await digestStore(s.store);
    expect((await s.post('/api/v2/projects', { key: 'digest', name: 'Again' })).status).toBe(409);
    expect(await digestStore(s.store)).toBe(before);
    await expect(
      s.store.db.transaction().execute(async (trx) => {
        await sql`update projects set name = 'Rolled back' where key = 'digest'`.execute(trx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await digestStore(s.store)).toBe(before);
  });

  it('is not fooled by an update that writes back what was there', async () => {
    const before = await digestStore(s.store);
    await sql`update projects set name = name where key = 'digest'`.execute(s.store.db);
    expect(await digestStore(s.store)).toBe(before);
  });

  it.runIf(testDb === 'postgres')('does not keep a digest taken while another session has written and not yet committed', async () => {
    const client = new pg.Client({ connectionString: s.store.connectionUrl });
    await client.connect();
    try {
      const before = await digestStore(s.store);
      await client.query('begin');
      await client.query(`update projects set name = 'Committed later' where key = 'digest'`);
      // Uncommitted: not seen, and not trusted afterwards.
      expect(await digestStore(s.store)).toBe(before);
      await client.query('commit');
      expect(await digestStore(s.store)).not.toBe(before);
    } finally {
      await client.end();
    }
  });
});
