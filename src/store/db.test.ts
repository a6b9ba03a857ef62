// Store.tx: every write is all or nothing, also when SQLite commits queued writes together (group commit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/support/db.js';
import { parentGone } from '../http/errors.js';
import { isForeignKeyViolation, isUniqueViolation, missingParentTable, Store } from './db.js';

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
    // SQLite runs them in order, so the second b1 fails; PostgreSQL runs them side by side, and either b1 may be first.
    const refused = store.kind === 'sqlite' ? 2 : results.findIndex((r) => r.status === 'rejected');
    expect(results.map((r) => r.status)).toEqual(['b1', 'b2', 'b1', 'b3'].map((_, i) => (i === refused ? 'rejected' : 'fulfilled')));
    expect([0, 2]).toContain(refused);
    expect(isUniqueViolation((results[refused] as PromiseRejectedResult).reason)).toBe(true);
    const seen = (results as PromiseFulfilledResult<number>[]).filter((r) => r.status === 'fulfilled').map((r) => r.value);
    // SQLite runs writes one after another (batched in one commit); PostgreSQL runs them side by side.
    if (store.kind === 'sqlite') expect(seen).toEqual([1, 2, 3]);
    else for (const n of seen) expect(n).toBeGreaterThanOrEqual(1);
    expect(await emails('b')).toEqual(['b1@example.com', 'b2@example.com', 'b3@example.com']);
  });

  /** Opens a transaction that inserts member id and stays open until the returned release is called. */
  function openTransaction(on: Store, id: string): { inside: Promise<void>; release: () => void; committed: Promise<void> } {
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const committed = on.tx(async (trx) => {
      await trx.insertInto('members').values(member(id)).execute();
      entered();
      await gate;
    });
    return { inside, release, committed };
  }

  it('reads outside a transaction neither wait for an open one nor see what it has not committed', async () => {
    const open = openTransaction(store, 'd1');
    await open.inside;
    // SQLite: the database file's reader connection, beside the writer's; PostgreSQL: another pool connection.
    expect(await emails('d')).toEqual([]);
    open.release();
    await open.committed;
    expect(await emails('d')).toEqual(['d1@example.com']);
  });

  it('a write outside a transaction waits for the open one, then commits on its own', async () => {
    const open = openTransaction(store, 'e1');
    await open.inside;
    let written = false;
    const writing = store.db.insertInto('members').values(member('e2')).execute().then(() => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (store.kind === 'sqlite') expect(written).toBe(false);
    open.release();
    await Promise.all([open.committed, writing]);
    expect(await emails('e')).toEqual(['e1@example.com', 'e2@example.com']);
  });

  it('SQLite in memory has one connection: a read there waits for the open transaction and sees it committed', async () => {
    if (store.kind !== 'sqlite') return;
    const memory = Store.open('sqlite::memory:');
    await memory.migrate();
    try {
      const open = openTransaction(memory, 'f1');
      await open.inside;
      let read = false;
      const reading = memory.db.selectFrom('members').select('id').where('id', '=', 'f1').execute().then((rows) => ((read = true), rows));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(read).toBe(false);
      open.release();
      expect(await reading).toEqual([{ id: 'f1' }]);
    } finally {
      await memory.close();
    }
  });

  it('a write resolves only once it is committed: a fresh connection sees it', async () => {
    await store.tx((trx) => trx.insertInto('members').values(member('c1')).execute());
    const other = Store.open(database.url);
    try {
      expect(await other.db.selectFrom('members').select('id').where('id', '=', 'c1').execute()).toEqual([{ id: 'c1' }]);
    } finally {
      await other.close();
    }
  });

  it('a write naming a parent row that is not there fails as a foreign-key violation: a 404 at the edge, not a 500', async () => {
    const flag = { id: 'f-orphan', project_id: 'no-such-project', key: 'orphan', name: 'Orphan', doc: '{}', archived: 0, created_at: 1 };
    const failed = await store.tx((trx) => trx.insertInto('flags').values(flag).execute()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isForeignKeyViolation(failed)).toBe(true);
    expect(isUniqueViolation(failed)).toBe(false);
    // PostgreSQL names the parent's table; SQLite does not.
    expect(missingParentTable(failed)).toBe(store.kind === 'postgres' ? 'projects' : undefined);
    expect(parentGone(failed)!.body()).toEqual({
      code: 'not_found',
      message: `${store.kind === 'postgres' ? 'The project' : 'A resource'} this request refers to no longer exists: it was deleted while the request ran`,
    });
    expect(parentGone(new Error('other'))).toBeUndefined();
  });
});
