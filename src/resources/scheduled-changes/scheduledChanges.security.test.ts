// Who may schedule changes: readers read schedules; writers make, move and cancel them; a custom role needs what the
// instructions will do (as a flag PATCH with them would: updateOn, updateTargets... on the flag in that environment),
// and updateScheduledChanges to move or cancel one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('scheduled changes: security', () => {
  let s: TestServer;
  let w: World;
  const path = () => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/scheduled-changes`;
  const body = () => ({ executionDate: Date.now() + 3_600_000, instructions: [{ kind: 'turnFlagOff' }] });
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('401 without a valid token; readers read but may not schedule, move or cancel', async () => {
    const id = (await s.post(path(), body())).body._id;
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      expect((await s.get(path(), { token })).status).toBe(401);
      expect((await s.post(path(), body(), { token })).status).toBe(401);
    }
    expect((await s.get(`${path()}/${id}`, { token: s.tokens.reader })).status).toBe(200);
    for (const send of [
      () => s.post(`${path()}?ignoreConflicts=true`, body(), { token: s.tokens.reader }),
      () => s.patch(`${path()}/${id}`, { instructions: [{ kind: 'updateScheduledChangesExecutionDate', value: Date.now() + 7_200_000 }] }, { token: s.tokens.reader }),
      () => s.del(`${path()}/${id}`, { token: s.tokens.reader }),
    ]) {
      let status = 0;
      expect(await changedBy(s.store, async () => (status = (await send()).status))).toBe(false);
      expect(status).toBe(403);
    }
    expect((await s.del(`${path()}/${id}`, { token: s.tokens.writer })).status).toBe(204);
  });

  it('custom roles: the actions of the instructions, and updateScheduledChanges to move or cancel', async () => {
    const role = (actions: string[]) => s.post('/api/v2/tokens', { name: actions.join(), inlineRole: [{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }, { effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions }] });
    const onOff = (await role(['updateOn'])).body.token;
    expect((await s.post(path(), { executionDate: Date.now() + 3_600_000, instructions: [{ kind: 'addTargets', variationId: w.variations[0], contextKind: 'user', values: ['ada'] }] }, { token: onOff })).status).toBe(403);
    const made = await s.post(path(), body(), { token: onOff });
    expect(made.status).toBe(201);
    const move = { instructions: [{ kind: 'updateScheduledChangesExecutionDate', value: Date.now() + 7_200_000 }] };
    expect((await s.patch(`${path()}/${made.body._id}`, move, { token: onOff })).status).toBe(403);
    expect((await s.del(`${path()}/${made.body._id}`, { token: onOff })).status).toBe(403);
    const scheduler = (await role(['updateScheduledChanges'])).body.token;
    expect((await s.patch(`${path()}/${made.body._id}`, move, { token: scheduler })).status).toBe(200);
    expect((await s.del(`${path()}/${made.body._id}`, { token: scheduler })).status).toBe(204);
  });
});
