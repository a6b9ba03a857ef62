// Store.tx: every write is all or nothing, also when SQLite commits queued writes together (group commit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/support/db.js';
import { isUniqueViolation, Store } from './db.js';

describe('Store.tx', () => {
  let database: FreshDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await freshDatabase();
    store = Store.open(database.url);
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const member = (id: string) => ({ id, email: `${id}@example.com`, doc: '{}', created_at: 1 });
  const emails = async (prefix: string) =>
    (await store.db.selectFrom('members').select('email').where('email', 'like', `${prefix}%`).orderBy('email').execute()).map((r) => r.email);

  it('concurrent writes: each failing one is rolled back alone, the others are all committed', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        store.tx(async (trx) => {
          await trx.insertInto('members').values(member(`a${String(i).padStart(2, '0')}`)).execute();
          if (i % 7 === 3) throw new Error(`refuse ${i}`);
          return i;
        }),
      ),
    );
    const refused = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    expect(refused).toEqual([3, 10, 17, 24, 31, 38]);
    for (const i of refused) expect((outcomes[i] as PromiseRejectedResult).reason.message).toBe(`refuse ${i}`);
    const kept = Array.from({ length: 40 }, (_, i) => i).filter((i) => !refused.includes(i));
    expect(outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))).toEqual(kept);
    expect(await emails('a')).toEqual(kept.map((i) => `a${String(i).padStart(2, '0')}@example.com`));
  });

  it('a duplicate key fails only its own write; on SQLite each write sees the writes queued before it', async () => {
    const results = await Promise.allSettled(
      ['b1', 'b2', 'b1', 'b3'].map((id) =>
        store.tx(async (trx) => {
          await trx.insertInto('members').values(member(id)).execute();
          return (await trx.selectFrom('members').select('id').where('email', 'like', 'b%').execute()).length;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((results[2] as PromiseRejectedResult).reason)).toBe(true);
    const seen = (results as PromiseFulfilledResult<number>[]).filter((r) => r.status === 'fulfilled').map((r) => r.value);
    // SQLite runs writes one after another (batched in one commit); PostgreSQL runs them side by side.
    if (store.kind === 'sqlite') expect(seen).toEqual([1, 2, 3]);
    else for (const n of seen) expect(n).toBeGreaterThanOrEqual(1);
    expect(await emails('b')).toEqual(['b1@example.com', 'b2@example.com', 'b3@example.com']);
  });

  it('a write resolves only once it is committed: a fresh connection sees it', async () => {
    await store.tx((trx) => trx.insertInto('members').values(member('c1')).execute());
    if (store.kind === 'postgres') {
      const other = Store.open(database.url);
      expect(await other.db.selectFrom('members').select('id').where('id', '=', 'c1').execute()).toEqual([{ id: 'c1' }]);
      await other.close();
    } else {
      // one connection: a read after the write is not inside any transaction any more
      expect(await emails('c')).toEqual(['c1@example.com']);
    }
  });
});
