// The official REST client (launchdarkly-api-typescript) manages flag triggers over real HTTP, unchanged, as
// Terraform's launchdarkly_flag_trigger does (create, then disableTrigger when `enabled` is false; enableTrigger and
// replaceTriggerActionInstructions on update; delete), and the official Node SDK sees what calling the trigger's URL
// (plain HTTP, no token, the body an alerting tool sends) does to the flag.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { Configuration, FlagTriggersApi } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { createWorld, type World } from './support/fixtures.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

describe('flag triggers through launchdarkly-api-typescript (FlagTriggersApi) and the Node SDK', () => {
  let s: TestServer;
  let w: World;
  let triggers: FlagTriggersApi;
  let sdk: LDClient;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    triggers = new FlagTriggersApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    sdk = sdkClient(s.url, await sdkKeyOf(s, w.project));
    await sdk.waitForInitialization({ timeout: 10 });
  });
  afterAll(async () => {
    sdk.close();
    await s.close();
  });
  const user = { kind: 'user', key: 'ada', groups: ['beta'] };

  it('create (disabled, as Terraform makes it), enable, call the URL: the SDK serves the flag off; turn it on again', async () => {
    const created = await triggers.createTriggerWorkflow(w.project, 'production', w.flag, { integrationKey: 'datadog', instructions: [{ kind: 'turnFlagOff' }], comment: 'error rate' });
    expect(created.status).toBe(201);
    const trigger = created.data;
    expect(trigger).toMatchObject({ _integrationKey: 'datadog', enabled: true, instructions: [{ kind: 'turnFlagOff' }], _version: 1 });
    expect((await triggers.patchTriggerWorkflow(w.project, 'production', w.flag, trigger._id!, { instructions: [{ kind: 'disableTrigger' }] })).data.enabled).toBe(false);
    expect((await triggers.getTriggerWorkflows(w.project, 'production', w.flag)).data.items!.map((t) => t._id)).toEqual([trigger._id]);
    expect((await triggers.getTriggerWorkflowById(w.project, w.flag, 'production', trigger._id!)).data).toMatchObject({ enabled: false, triggerURL: expect.stringMatching(/\*{8}$/) });

    expect(await sdk.variation(w.flag, user, 'default')).toBe(true);
    const call = () => fetch(trigger.triggerURL!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ alert: 'error rate above 5%' }) });
    expect((await call()).status).toBe(200);
    expect(await sdk.variation(w.flag, user, 'default')).toBe(true);

    await triggers.patchTriggerWorkflow(w.project, 'production', w.flag, trigger._id!, { instructions: [{ kind: 'enableTrigger' }] });
    expect((await call()).status).toBe(200);
    await vi.waitFor(async () => expect(await sdk.variationDetail(w.flag, user, 'default')).toMatchObject({ value: false, reason: { kind: 'OFF' } }), { timeout: 5000 });

    const flipped = await triggers.patchTriggerWorkflow(w.project, 'production', w.flag, trigger._id!, { instructions: [{ kind: 'replaceTriggerActionInstructions', value: [{ kind: 'turnFlagOn' }] }] });
    expect(flipped.data.instructions).toEqual([{ kind: 'turnFlagOn' }]);
    expect((await call()).status).toBe(200);
    await vi.waitFor(async () => expect(await sdk.variation(w.flag, user, 'default')).toBe(true), { timeout: 5000 });
    expect((await triggers.getTriggerWorkflowById(w.project, w.flag, 'production', trigger._id!)).data).toMatchObject({ _triggerCount: 2, _recentTriggerBodies: [{ jsonBody: { alert: 'error rate above 5%' } }, { jsonBody: { alert: 'error rate above 5%' } }] });

    expect((await triggers.deleteTriggerWorkflow(w.project, 'production', w.flag, trigger._id!)).status).toBe(204);
    expect((await call()).status).toBe(404);
  });

  it("LaunchDarkly's error bodies: an unknown action, an unknown trigger", async () => {
    const bad = await clientFailure(triggers.createTriggerWorkflow(w.project, 'production', w.flag, { integrationKey: 'generic-trigger', instructions: [{ kind: 'toggle' }] }));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('instructions[0].kind: "toggle" is not a trigger action') });
    const missing = await clientFailure(triggers.getTriggerWorkflowById(w.project, w.flag, 'production', '0123456789abcdef01234567'));
    expect(missing).toEqual({ status: 404, data: { code: 'not_found', message: 'Flag trigger "0123456789abcdef01234567" not found' } });
  });
});
