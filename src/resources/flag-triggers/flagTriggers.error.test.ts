// Flag triggers refused: bodies of createTriggerWorkflow and patchTriggerWorkflow, unknown project, environment,
// flag and trigger; a trigger URL with an unknown id or a wrong secret. Nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('flag triggers: errors', () => {
  let s: TestServer;
  let w: World;
  let trigger: { _id: string; triggerURL: string };
  const triggers = (env = 'production', flag = 'checkout-button', project = w.project) => `/api/v2/flags/${project}/${flag}/triggers/${env}`;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    trigger = (await s.post(triggers(), { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOff' }] })).body;
  });
  afterAll(() => s.close());

  it('createTriggerWorkflow: 400 naming the problem, 404 naming what is missing; nothing written', async () => {
    const before = await digestStore(s.store);
    const on = [{ kind: 'turnFlagOn' }];
    const cases: [string, unknown, number, string][] = [
      [triggers(), { instructions: on }, 400, 'integrationKey: is required'],
      [triggers(), { integrationKey: 'Generic Trigger', instructions: on }, 400, 'integrationKey: "Generic Trigger" is not an integration key'],
      [triggers(), { integrationKey: 'generic-trigger' }, 400, 'instructions: must be [{"kind": "turnFlagOn"}] or [{"kind": "turnFlagOff"}]'],
      [triggers(), { integrationKey: 'generic-trigger', instructions: [] }, 400, 'instructions: must be'],
      [triggers(), { integrationKey: 'generic-trigger', instructions: [...on, ...on] }, 400, 'a trigger has exactly one action'],
      [triggers(), { integrationKey: 'generic-trigger', instructions: [{ kind: 'archiveFlag' }] }, 400, 'instructions[0].kind: "archiveFlag" is not a trigger action'],
      [triggers(), { integrationKey: 'generic-trigger', instructions: on, comment: 1 }, 400, 'comment: must be a string'],
      [triggers(), [on], 400, 'body: must be an object'],
      [triggers('nope'), { integrationKey: 'generic-trigger', instructions: on }, 404, 'Environment "nope"'],
      [triggers('production', 'nope'), { integrationKey: 'generic-trigger', instructions: on }, 404, 'Flag "nope"'],
      [triggers('production', 'checkout-button', 'nope'), { integrationKey: 'generic-trigger', instructions: on }, 404, 'Project "nope"'],
    ];
    for (const [path, body, status, text] of cases) {
      const res = await s.post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.message, JSON.stringify(body)).toContain(text);
    }
    expect(await digestStore(s.store)).toBe(before);
  });

  it('patchTriggerWorkflow: 400 naming the problem; 404 for an unknown trigger; nothing written', async () => {
    const before = await digestStore(s.store);
    const cases: [string, unknown, number, string][] = [
      [`${triggers()}/${trigger._id}`, [{ op: 'replace', path: '/enabled', value: false }], 400, 'semantic patch'],
      [`${triggers()}/${trigger._id}`, { instructions: [{ kind: 'pauseTrigger' }] }, 400, 'instructions[0].kind: unknown instruction kind "pauseTrigger"'],
      [`${triggers()}/${trigger._id}`, { instructions: [{ kind: 'disableTrigger' }, { kind: 'replaceTriggerActionInstructions', value: [{ kind: 'updateOn' }] }] }, 400, 'instructions[1].value[0].kind'],
      [`${triggers()}/${trigger._id}`, { instructions: [{ kind: 'replaceTriggerActionInstructions' }] }, 400, 'instructions[0].value'],
      [`${triggers()}/0123456789abcdef01234567`, { instructions: [{ kind: 'disableTrigger' }] }, 404, 'Flag trigger "0123456789abcdef01234567" not found'],
      [`${triggers('test')}/${trigger._id}`, { instructions: [{ kind: 'disableTrigger' }] }, 404, `Flag trigger "${trigger._id}" not found`],
    ];
    for (const [path, body, status, text] of cases) {
      const res = await s.patch(path, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.message, JSON.stringify(body)).toContain(text);
    }
    expect((await s.del(`${triggers()}/0123456789abcdef01234567`)).status).toBe(404);
    expect(await digestStore(s.store)).toBe(before);
  });

  it('a trigger URL: an unknown id or a wrong secret is the same 404, and changes nothing', async () => {
    const before = await digestStore(s.store);
    const [, , , id, secret] = new URL(trigger.triggerURL).pathname.split('/');
    for (const path of [`/webhook/triggers/0123456789abcdef01234567/${secret}`, `/webhook/triggers/${id}/${secret.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`, `/webhook/triggers/${id}/x`]) {
      const res = await s.post(path, {}, { token: null });
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message: 'Trigger not found' });
    }
    expect(await digestStore(s.store)).toBe(before);
  });
});
