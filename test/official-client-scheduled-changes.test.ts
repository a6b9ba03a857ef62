// The official REST client (launchdarkly-api-typescript) schedules flag changes over real HTTP, unchanged
// (ScheduledChangesApi: post, list, get, patch with a new date and new instructions, delete; ignoreConflicts as its
// boolean argument), and the official Node SDK sees a schedule applied by the server's own job when its date comes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { Configuration, ScheduledChangesApi } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { createWorld, type World } from './support/fixtures.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

describe('scheduled changes through launchdarkly-api-typescript (ScheduledChangesApi) and the Node SDK', () => {
  let s: TestServer;
  let w: World;
  let schedules: ScheduledChangesApi;
  let sdk: LDClient;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    schedules = new ScheduledChangesApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    sdk = sdkClient(s.url, await sdkKeyOf(s, w.project));
    await sdk.waitForInitialization({ timeout: 10 });
  });
  afterAll(async () => {
    sdk.close();
    await s.close();
  });
  const user = { kind: 'user', key: 'ada', groups: ['beta'] };

  it('schedule, reschedule and replace, then the job applies it and the SDK serves the flag off', async () => {
    const created = await schedules.postFlagConfigScheduledChanges(w.project, w.flag, 'production', { executionDate: Date.now() + 3_600_000, instructions: [{ kind: 'turnFlagOn' }], comment: 'launch' });
    expect(created.status).toBe(201);
    const id = created.data._id;
    expect((await schedules.getFlagConfigScheduledChanges(w.project, w.flag, 'production')).data.items.map((i) => i._id)).toEqual([id]);
    const conflict = await clientFailure(schedules.postFlagConfigScheduledChanges(w.project, w.flag, 'production', { executionDate: Date.now() + 7_200_000, instructions: [{ kind: 'turnFlagOff' }] }));
    expect(conflict.status).toBe(409);
    const other = await schedules.postFlagConfigScheduledChanges(w.project, w.flag, 'production', { executionDate: Date.now() + 7_200_000, instructions: [{ kind: 'turnFlagOff' }] }, true);
    expect(other.data.conflicts).toEqual([expect.objectContaining({ _id: id })]);
    expect((await schedules.deleteFlagConfigScheduledChanges(w.project, w.flag, 'production', other.data._id)).status).toBe(204);

    const soon = Date.now() + 1500;
    const patched = await schedules.patchFlagConfigScheduledChange(w.project, w.flag, 'production', id, {
      instructions: [
        { kind: 'updateScheduledChangesExecutionDate', value: soon },
        { kind: 'replaceScheduledChangesInstructions', value: [{ kind: 'turnFlagOff' }] },
      ],
    });
    expect(patched.data).toMatchObject({ executionDate: soon, instructions: [{ kind: 'turnFlagOff' }], _version: 2 });
    expect((await schedules.getFeatureFlagScheduledChange(w.project, w.flag, 'production', id)).data).toEqual(patched.data);

    expect(await sdk.variation(w.flag, user, 'default')).toBe(true);
    await vi.waitFor(async () => expect(await sdk.variationDetail(w.flag, user, 'default')).toMatchObject({ value: false, reason: { kind: 'OFF' } }), { timeout: 15_000, interval: 250 });
    expect((await schedules.getFlagConfigScheduledChanges(w.project, w.flag, 'production')).data.items).toEqual([]);
  });
});
