// Flag requests as intake records them from /bulk, and as migration 009 fills them from the events already stored:
// the same rows either way.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as m009 from '../store/migrations/009_flag_requests.js';
import { createShop } from '../../test/support/flagStatuses.js';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const NOW = Date.UTC(2025, 0, 10);

describe('flag requests', () => {
  let s: TestServer;
  let production: string;
  let staging: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    await createShop(s);
    production = await sdkKeyOf(s, 'shop');
    staging = await sdkKeyOf(s, 'shop', 'staging');
  });
  afterAll(() => s.close());

  const stored = async () =>
    (await s.store.db.selectFrom('flag_requests').innerJoin('environments', 'environments.id', 'flag_requests.environment_id').select(['environments.key as env', 'flag_key', 'last_requested', 'default_value', 'default_seen_at']).orderBy('environments.key').orderBy('flag_key').execute()).map(
      (row) => ({ ...row, last_requested: Number(row.last_requested), default_seen_at: row.default_seen_at === null ? null : Number(row.default_seen_at) }),
    );
  const context = { kind: 'user', key: 'ann' };

  it('records, per environment and flag key, the latest evaluation and the latest default the code passed', async () => {
    const post = async (key: string, events: unknown[]) => expect((await s.post('/bulk', events, { token: key })).status).toBe(202);
    await post(production, [
      { kind: 'index', creationDate: NOW - 5000, context },
      { kind: 'feature', creationDate: NOW - 5000, key: 'a', context, value: 1, default: 0 },
      { kind: 'feature', creationDate: NOW - 4000, key: 'a', context, value: 1, default: 0, prereqOf: 'b' },
      { kind: 'custom', creationDate: NOW - 3000, key: 'checkout', context },
      { kind: 'summary', startDate: NOW - 6000, endDate: NOW - 2000, features: { b: { default: 'off', counters: [] }, c: { counters: [] }, d: 'not an object' } },
      { kind: 'summary', features: ['not', 'a', 'map'] },
      { kind: 'feature', key: 'x'.repeat(257), creationDate: NOW - 1000, context, default: 1 },
      { kind: 'feature', creationDate: NOW - 1000, context, default: 1 },
    ]);
    await post(staging, [{ kind: 'debug', creationDate: NOW + 60_000, key: 'a', context, value: 2, default: { big: [1, 2] } }]);
    await post(production, [{ kind: 'feature', creationDate: NOW - 9000, key: 'b', context, value: 1, default: 'older' }]);
    expect(await stored()).toEqual([
      // The prerequisite evaluation moved `a`'s time, not its default; `b`'s older evaluation, sent later, changed nothing.
      { env: 'production', flag_key: 'a', last_requested: NOW - 4000, default_value: '0', default_seen_at: NOW - 5000 },
      { env: 'production', flag_key: 'b', last_requested: NOW - 2000, default_value: '"off"', default_seen_at: NOW - 2000 },
      { env: 'production', flag_key: 'c', last_requested: NOW - 2000, default_value: null, default_seen_at: null },
      // Dated ahead of the server: counted when it arrived.
      { env: 'staging', flag_key: 'a', last_requested: NOW, default_value: '{"big":[1,2]}', default_seen_at: NOW },
    ]);
  });

  it('migration 009 fills the table from the stored events with the same rows', async () => {
    const recorded = await stored();
    await sql`drop table flag_requests`.execute(s.store.db);
    await m009.up(s.store.db as unknown as Kysely<unknown>);
    expect(await stored()).toEqual(recorded);
  });
});
