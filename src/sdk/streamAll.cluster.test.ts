// Two instances on one PostgreSQL database: an SDK streaming from B follows a flag change written through A, as the
// change bus tells B's streams what A wrote.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDb } from '../../test/support/db.js';
import { createWorld } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { sharedDatabase } from '../../test/support/server.js';

describe.skipIf(testDb !== 'postgres')('GET /all across instances (PostgreSQL)', () => {
  const instances = sharedDatabase();
  afterEach(() => instances.close());

  it('a change written through A reaches an SDK streaming from B', async () => {
    const a = await instances.start();
    const b = await instances.start({ listen: true });
    const w = await createWorld(a);
    const client = sdkClient(b.url, await sdkKeyOf(a, w.project));
    try {
      await client.waitForInitialization({ timeout: 10 });
      const user = { kind: 'user', key: 'ada' };
      expect(await client.variation(w.flag, user, 'default')).toBe(true);
      await a.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
      await vi.waitFor(async () => expect(await client.variationDetail(w.flag, user, 'default')).toEqual({ value: false, variationIndex: 1, reason: { kind: 'OFF' } }));
    } finally {
      client.close();
    }
  });
});
