// The context kinds each flag was evaluated for, as intake records them from /bulk (to the UTC day, each row written
// once a day by an instance), and as migration 044 fills them from the events already stored: the same rows either way.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as m044 from '../store/migrations/044_flag_context_kinds.js';
import { createShop, DAY } from '../../test/support/flagStatuses.js';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const TODAY = Date.UTC(2025, 0, 10);

describe('context kinds evaluated', () => {
  let s: TestServer;
  let now = TODAY + 12 * 60 * 60 * 1000;
  let production: string;
  let staging: string;
  beforeAll(async () => {
    s = await startServer({ now: () => now });
    await createShop(s);
    production = await sdkKeyOf(s, 'shop');
    staging = await sdkKeyOf(s, 'shop', 'staging');
  });
  afterAll(() => s.close());

  const stored = async () =>
    (
      await s.store.db
        .selectFrom('flag_context_kinds')
        .innerJoin('environments', 'environments.id', 'flag_context_kinds.environment_id')
        .select(['environments.key as env', 'flag_key', 'context_kind', 'last_day'])
        .orderBy('environments.key')
        .orderBy('flag_key')
        .orderBy('context_kind')
        .execute()
    ).map((row) => ({ ...row, last_day: Number(row.last_day) }));
  const post = async (key: string, events: unknown[]) => expect((await s.post('/bulk', events, { token: key })).status).toBe(202);
  const user = { kind: 'user', key: 'ann' };

  it('records, per environment, flag and kind, the last day the SDKs reported the flag evaluated for that kind', async () => {
    await post(production, [
      { kind: 'feature', creationDate: TODAY - 2 * DAY, key: 'a', context: { kind: 'multi', user: { key: 'ann' }, device: { key: 'd1' } }, value: 1 },
      { kind: 'feature', creationDate: TODAY - DAY, key: 'a', context: user, value: 1 },
      // Older SDKs: contextKeys, or a user.
      { kind: 'feature', creationDate: TODAY - DAY, key: 'b', contextKeys: { org: 'acme' }, value: 1 },
      { kind: 'debug', creationDate: TODAY - DAY, key: 'c', user: { key: 'bob' }, value: 1 },
      // A summary's contextKinds; without them, an SDK from before contexts: users.
      { kind: 'summary', startDate: TODAY + 1000, endDate: TODAY + 5000, features: { b: { contextKinds: ['org', 'device', 'not a kind', 7], counters: [] }, d: { counters: [] }, e: 'not an object' } },
      { kind: 'custom', creationDate: TODAY, key: 'checkout', context: user },
      { kind: 'feature', creationDate: TODAY, key: 'x'.repeat(257), context: user },
    ]);
    // Dated ahead of the server: counted the day it arrived.
    await post(staging, [{ kind: 'feature', creationDate: now + 30 * DAY, key: 'a', context: { kind: 'device', key: 'd2' }, value: 0 }]);
    // An older day sent later changes nothing.
    await post(production, [{ kind: 'feature', creationDate: TODAY - 9 * DAY, key: 'a', context: user, value: 1 }]);
    expect(await stored()).toEqual([
      { env: 'production', flag_key: 'a', context_kind: 'device', last_day: TODAY - 2 * DAY },
      { env: 'production', flag_key: 'a', context_kind: 'user', last_day: TODAY - DAY },
      { env: 'production', flag_key: 'b', context_kind: 'device', last_day: TODAY },
      { env: 'production', flag_key: 'b', context_kind: 'org', last_day: TODAY },
      { env: 'production', flag_key: 'c', context_kind: 'user', last_day: TODAY - DAY },
      { env: 'production', flag_key: 'd', context_kind: 'user', last_day: TODAY },
      { env: 'staging', flag_key: 'a', context_kind: 'device', last_day: TODAY },
    ]);
  });

  it('migration 044 fills the table from the stored events with the same rows', async () => {
    const recorded = await stored();
    await sql`drop table flag_context_kinds`.execute(s.store.db);
    await m044.up(s.store.db as unknown as Kysely<unknown>);
    expect(await stored()).toEqual(recorded);
  });

  it('a row this instance wrote today is not written again that day; the next day it is', async () => {
    const summary = (endDate: number) => [{ kind: 'summary', startDate: endDate - 1000, endDate, features: { d: { contextKinds: ['user'], counters: [] } } }];
    // Taken away behind the server's back: an evaluation the same day finds it remembered and writes nothing.
    await s.store.db.deleteFrom('flag_context_kinds').where('flag_key', '=', 'd').execute();
    await post(production, summary(now - 1000));
    expect((await stored()).filter((row) => row.flag_key === 'd')).toEqual([]);
    now += DAY;
    await post(production, summary(now - 1000));
    expect((await stored()).filter((row) => row.flag_key === 'd')).toEqual([{ env: 'production', flag_key: 'd', context_kind: 'user', last_day: TODAY + DAY }]);
  });
});
