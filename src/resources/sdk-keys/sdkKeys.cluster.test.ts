// Two instances on one PostgreSQL database: an SDK key created through A opens B's stream at once, and deleting it
// through A ends the stream the official SDK opened with it on B and refuses it there.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDb } from '../../../test/support/db.js';
import { createWorld } from '../../../test/support/fixtures.js';
import { sdkClient } from '../../../test/support/sdk.js';
import { sharedDatabase } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe.skipIf(testDb !== 'postgres')('SDK keys across instances (PostgreSQL)', () => {
  const instances = sharedDatabase();
  afterEach(() => instances.close());

  it('a key deleted through A ends its stream on B', async () => {
    const a = await instances.start();
    const b = await instances.start({ listen: true });
    const w = await createWorld(a);
    const keys = `/api/v2/projects/${w.project}/environments/production/sdk-keys`;
    const value = (await a.post(keys, { key: 'shared', name: 'Shared' }, BETA)).body.value;
    const client = sdkClient(b.url, value);
    try {
      await client.waitForInitialization({ timeout: 10 });
      expect(await client.variation(w.flag, { kind: 'user', key: 'ada' }, 'default')).toBe(true);
      expect(b.app.sdkStreams.connections).toBe(1);
      expect((await a.del(`${keys}/shared`, BETA)).status).toBe(204);
      await vi.waitFor(() => expect(b.app.sdkStreams.connections).toBe(0));
      expect((await b.get('/sdk/latest-all', { token: value })).status).toBe(401);
    } finally {
      client.close();
    }
  });
});
