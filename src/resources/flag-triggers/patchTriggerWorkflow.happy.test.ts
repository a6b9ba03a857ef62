// Updating a trigger by semantic patch, as Terraform's launchdarkly_flag_trigger does: disable and enable,
// replaceTriggerActionInstructions, cycleTriggerUrl (the new URL shown once; the old one stops working); a version
// per change, none for a patch that changes nothing; each change audited with its instructions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchTriggerWorkflow', () => {
  let s: TestServer;
  let w: World;
  let trigger: { _id: string; triggerURL: string };
  const path = () => `/api/v2/flags/${w.project}/${w.flag}/triggers/production/${trigger._id}`;
  const semantic = { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } };
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    trigger = (await s.post(`/api/v2/flags/${w.project}/${w.flag}/triggers/production`, { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOn' }] })).body;
  });
  afterAll(() => s.close());

  it('disableTrigger, then enableTrigger with a new action at once; a version each; the URL stays obscured', async () => {
    const disabled = await s.patch(path(), { instructions: [{ kind: 'disableTrigger' }] }, semantic);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ enabled: false, _version: 2, instructions: [{ kind: 'turnFlagOn' }] });
    expect(disabled.body.triggerURL).toMatch(/\/\*{8}$/);
    const both = await s.patch(path(), { comment: 'back, the other way', instructions: [{ kind: 'enableTrigger' }, { kind: 'replaceTriggerActionInstructions', value: [{ kind: 'turnFlagOff' }] }] });
    expect(both.body).toMatchObject({ enabled: true, _version: 3, instructions: [{ kind: 'turnFlagOff' }] });
    expect((await s.get(path())).body).toEqual(both.body);
  });

  it('cycleTriggerUrl: a new URL, in full in this answer only; the old URL is a 404, the new one acts', async () => {
    const oldPath = new URL(trigger.triggerURL).pathname;
    const cycled = (await s.patch(path(), { instructions: [{ kind: 'cycleTriggerUrl' }] })).body;
    const newPath = new URL(cycled.triggerURL).pathname;
    expect(newPath).toMatch(new RegExp(`^/webhook/triggers/${trigger._id}/[0-9a-f-]{36}$`));
    expect(newPath).not.toBe(oldPath);
    expect(cycled._version).toBe(4);
    expect((await s.get(path())).body.triggerURL).toMatch(/\/\*{8}$/);
    expect((await s.post(oldPath, undefined, { token: null })).status).toBe(404);
    expect((await s.post(newPath, undefined, { token: null })).status).toBe(200);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.on).toBe(false);
  });

  it('a patch that changes nothing writes nothing; changes are audited with their instructions', async () => {
    const same = await s.patch(path(), { instructions: [{ kind: 'enableTrigger' }] });
    expect(same.body._version).toBe(4);
    const entries = (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items;
    const updates = entries.filter((e: { accesses: { action: string }[] }) => e.accesses[0].action === 'updateTriggers');
    expect(updates).toHaveLength(3);
    const second = (await s.get(`/api/v2/auditlog/${updates[1]._id}`)).body;
    expect(second).toMatchObject({ comment: 'back, the other way', delta: { instructions: [{ kind: 'enableTrigger' }, { kind: 'replaceTriggerActionInstructions', value: [{ kind: 'turnFlagOff' }] }] }, previousVersion: { enabled: false }, currentVersion: { enabled: true, instructions: [{ kind: 'turnFlagOff' }] } });
  });
});
