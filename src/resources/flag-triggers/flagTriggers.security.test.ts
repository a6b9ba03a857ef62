// Who may manage flag triggers: readers read them; writers and admins manage them; custom roles need
// createTriggers, updateTriggers or deleteTriggers on the flag in the environment. A trigger's URL needs no token:
// its secret is the credential.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('flag triggers: security', () => {
  let s: TestServer;
  let w: World;
  const triggers = (env = 'production') => `/api/v2/flags/${w.project}/${w.flag}/triggers/${env}`;
  const body = { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOff' }] };
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('401 without a valid token; readers read but may not create, update or delete; nothing written', async () => {
    const id = (await s.post(triggers(), body)).body._id;
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      expect((await s.get(triggers(), { token })).status).toBe(401);
      expect((await s.post(triggers(), body, { token })).status).toBe(401);
    }
    expect((await s.get(triggers(), { token: s.tokens.reader })).status).toBe(200);
    for (const send of [
      () => s.post(triggers(), body, { token: s.tokens.reader }),
      () => s.patch(`${triggers()}/${id}`, { instructions: [{ kind: 'disableTrigger' }] }, { token: s.tokens.reader }),
      () => s.del(`${triggers()}/${id}`, { token: s.tokens.reader }),
    ]) {
      let status = 0;
      expect(await changedBy(s.store, async () => (status = (await send()).status))).toBe(false);
      expect(status).toBe(403);
    }
    expect((await s.post(triggers(), body, { token: s.tokens.writer })).status).toBe(201);
  });

  it('custom roles: each action on the flag in that environment', async () => {
    const role = (actions: string[], env = 'production') => s.post('/api/v2/tokens', { name: actions.join(), inlineRole: [{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }, { effect: 'allow', resources: [`proj/*:env/${env}:flag/*`], actions }] });
    const creator = (await role(['createTriggers'])).body.token;
    const elsewhere = (await role(['createTriggers', 'updateTriggers', 'deleteTriggers'], 'test')).body.token;
    expect((await s.post(triggers(), body, { token: elsewhere })).status).toBe(403);
    const created = await s.post(triggers(), body, { token: creator });
    expect(created.status).toBe(201);
    const path = `${triggers()}/${created.body._id}`;
    expect((await s.patch(path, { instructions: [{ kind: 'disableTrigger' }] }, { token: creator })).status).toBe(403);
    expect((await s.patch(path, { instructions: [{ kind: 'disableTrigger' }] }, { token: (await role(['updateTriggers'])).body.token })).status).toBe(200);
    expect((await s.del(path, { token: creator })).status).toBe(403);
    expect((await s.del(path, { token: (await role(['deleteTriggers'])).body.token })).status).toBe(204);
  });

  it("a trigger's URL takes no token: with one, or a bad one, it acts the same", async () => {
    const trigger = (await s.post(triggers(), body)).body;
    const res = await s.post(new URL(trigger.triggerURL).pathname, {}, { token: 'api-00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(200);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.on).toBe(false);
  });
});
