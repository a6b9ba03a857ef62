// Two instances on one PostgreSQL database, FDv2: an SDK streaming from B follows a change written through A; both
// instances name the same data with the same state, so B's poll takes A's state as current; and a poll's known
// state is forgotten when the other instance writes.
import type { LDOptions } from '@launchdarkly/node-server-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDb } from '../../test/support/db.js';
import { createWorld } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { sharedDatabase } from '../../test/support/server.js';
import { openStream } from '../../test/support/streams.js';

describe.skipIf(testDb !== 'postgres')('GET /sdk/stream across instances (PostgreSQL)', () => {
  const instances = sharedDatabase();
  afterEach(() => instances.close());

  it('a change written through A reaches an FDv2 SDK streaming from B; A\'s state is B\'s, and current on B until A writes', async () => {
    const a = await instances.start({ listen: true });
    const b = await instances.start({ listen: true });
    const w = await createWorld(a);
    const key = await sdkKeyOf(a, w.project);
    const client = sdkClient(b.url, key, { dataSystem: {} } as LDOptions);
    const headers = { authorization: key };
    const onA = await openStream(a.url, 'GET', '/sdk/stream', { headers });
    try {
      await client.waitForInitialization({ timeout: 10 });
      // A's first payload read before the change: a read after its commit would hold the change already, and A
      // would rightly have nothing more to send.
      expect((await onA.event(2)).event).toBe('payload-transferred');
      const user = { kind: 'user', key: 'ada' };
      expect(await client.variation(w.flag, user, 'default')).toBe(true);
      await a.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
      await vi.waitFor(async () => expect(await client.variationDetail(w.flag, user, 'default')).toEqual({ value: false, variationIndex: 1, reason: { kind: 'OFF' } }));

      // A's stream: the change's objects after its first payload; the state after the change is current on B.
      const afterChange = await onA.event(4);
      expect(afterChange.event).toBe('payload-transferred');
      const onB = await openStream(b.url, 'GET', '/sdk/stream', { headers });
      try {
        expect((await onB.event(2)).data.state).toBe(afterChange.data.state);
      } finally {
        onB.close();
      }

      // B's polls know the state without reading it again; a change written through A makes it stale on B.
      const poll = async (basis: string) => (await b.get(`/sdk/poll?basis=${encodeURIComponent(basis)}`, { token: key })).body.events;
      expect((await poll(afterChange.data.state))[0].data.payloads[0].intentCode).toBe('none');
      expect((await poll(afterChange.data.state))[0].data.payloads[0].intentCode).toBe('none');
      await a.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: true }]);
      await vi.waitFor(async () => expect((await poll(afterChange.data.state))[0].data.payloads[0]).toMatchObject({ intentCode: 'xfer-full', reason: 'stale' }));
    } finally {
      onA.close();
      client.close();
    }
  });
});
