// Deleting a trigger: 204; its URL and its address are 404s after; audited. A trigger goes with its flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteTriggerWorkflow', () => {
  let s: TestServer;
  let w: World;
  const triggers = () => `/api/v2/flags/${w.project}/${w.flag}/triggers/production`;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('204; then its URL and its address are 404s; audited', async () => {
    const trigger = (await s.post(triggers(), { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOff' }] })).body;
    const res = await s.del(`${triggers()}/${trigger._id}`);
    expect(res.status).toBe(204);
    expect((await s.get(`${triggers()}/${trigger._id}`)).body).toEqual({ code: 'not_found', message: `Flag trigger "${trigger._id}" not found` });
    expect((await s.post(new URL(trigger.triggerURL).pathname, undefined, { token: null })).status).toBe(404);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.on).toBe(true);
    const entry = (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items[0];
    expect(entry.accesses).toEqual([{ action: 'deleteTriggers', resource: `proj/${w.project}:env/production:flag/${w.flag}` }]);
  });

  it("a flag's deletion takes its triggers with it", async () => {
    await s.post(`/api/v2/flags/${w.project}`, { key: 'doomed', name: 'Doomed' });
    const trigger = (await s.post(`/api/v2/flags/${w.project}/doomed/triggers/production`, { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOn' }] })).body;
    expect((await s.del(`/api/v2/flags/${w.project}/doomed`)).status).toBe(204);
    expect((await s.post(new URL(trigger.triggerURL).pathname, undefined, { token: null })).status).toBe(404);
    expect(await s.store.db.selectFrom('flag_triggers').select('id').where('id', '=', trigger._id).execute()).toEqual([]);
  });
});
