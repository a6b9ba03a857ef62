// Every mistake a client can make with workflows and templates: the exact status and code, a message naming the field
// (stages[i].conditions[j]..., stages[i].action.instructions[j]...), and nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore, expectRefused } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('workflows: errors', () => {
  let s: TestServer;
  let w: World;
  const clock = Date.UTC(2026, 11, 5, 12);
  const path = (env = 'production', flag = 'checkout-button', project = 'proj') => `/api/v2/projects/${project}/flags/${flag}/environments/${env}/workflows`;
  const stage = (extra: Record<string, unknown> = {}) => ({ conditions: [{ kind: 'schedule', scheduleKind: 'relative', waitDuration: 1, waitDurationUnit: 'hour' }], action: { instructions: [{ kind: 'turnFlagOff' }] }, ...extra });
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  /** Sends a refused write and checks its status, code and that the message names `field`; nothing is written. */
  async function refused(send: () => Promise<Response>, status: number, field: string): Promise<Response> {
    const res = await expectRefused(s.store, send, status, status === 400 ? 'invalid_request' : status === 404 ? 'not_found' : 'method_not_allowed');
    expect(res.body.message).toContain(field);
    return res;
  }
  const post = (body: unknown, query = '') => () => s.post(`${path()}${query}`, body);

  it('400 for the body itself: not an object, an unknown field, no name, no stages', async () => {
    await refused(post([stage()]), 400, 'body: must be an object');
    await refused(post({ name: 'x', stages: [stage()], kind: 'custom' }), 400, 'kind: is not a field of a workflow');
    await refused(post({ stages: [stage()] }), 400, 'name: must be a non-empty string');
    await refused(post({ name: '  ', stages: [stage()] }), 400, 'name: must be a non-empty string');
    await refused(post({ name: 'x', description: 7, stages: [stage()] }), 400, 'description: must be a string');
    await refused(post({ name: 'x' }), 400, 'stages: must be a non-empty array of stages');
    await refused(post({ name: 'x', stages: [] }), 400, 'stages: must be a non-empty array of stages');
    await refused(post({ name: 'x', stages: [stage()], maintainerId: 'nobody' }), 400, 'maintainerId: there is no member with _id "nobody"');
  });

  it('400 for a stage: not an object, an unknown field, no action, another kind of action, no or bad instructions', async () => {
    await refused(post({ name: 'x', stages: ['stage'] }), 400, 'stages[0]: must be an object');
    await refused(post({ name: 'x', stages: [stage({ when: 'now' })] }), 400, 'stages[0].when: is not a field of a workflow stage');
    await refused(post({ name: 'x', stages: [{ conditions: [] }] }), 400, 'stages[0].action: must be an object {"instructions": [...]}');
    await refused(post({ name: 'x', stages: [stage({ action: { kind: 'trigger', instructions: [{ kind: 'turnFlagOn' }] } })] }), 400, 'stages[0].action.kind: must be patch');
    await refused(post({ name: 'x', stages: [stage({ action: { instructions: [] } })] }), 400, 'stages[0].action.instructions: must be a non-empty array of flag targeting instructions');
    await refused(post({ name: 'x', stages: [stage(), stage({ action: { instructions: [{ kind: 'updateName', value: 'n' }] } })] }), 400, 'stages[1].action.instructions[0].kind: unknown instruction kind "updateName"');
    await refused(post({ name: 'x', stages: [stage({ executeConditionsInSequence: 'yes' })] }), 400, 'stages[0].executeConditionsInSequence: must be a boolean');
    await refused(post({ name: 'x', stages: [stage({ name: 3 })] }), 400, 'stages[0].name: must be a string');
    await refused(post({ name: 'x', stages: [stage({ conditions: {} })] }), 400, 'stages[0].conditions: must be an array of conditions');
  });

  it('400 for a condition: its kind, its schedule, its reviewers, integrations', async () => {
    const condition = (c: unknown) => post({ name: 'x', stages: [stage({ conditions: [c] })] });
    await refused(condition({}), 400, 'stages[0].conditions[0].kind: must be schedule or ld-approval');
    await refused(condition({ kind: 'integration-approval' }), 400, 'stages[0].conditions[0].kind: integration-approval cannot be used in custom workflows');
    await refused(condition({ kind: 'schedule' }), 400, 'stages[0].conditions[0].scheduleKind: must be absolute (with executionDate) or relative');
    await refused(condition({ kind: 'schedule', scheduleKind: 'absolute', executionDate: clock - 1 }), 400, 'stages[0].conditions[0].executionDate: must be in the future');
    await refused(condition({ kind: 'schedule', scheduleKind: 'absolute', executionDate: 'tomorrow' }), 400, 'stages[0].conditions[0].executionDate: must be a date in Unix milliseconds');
    await refused(condition({ kind: 'schedule', scheduleKind: 'relative', waitDuration: -1, waitDurationUnit: 'hour' }), 400, 'stages[0].conditions[0].waitDuration: must be a whole number, 0 or more');
    await refused(condition({ kind: 'schedule', scheduleKind: 'relative', waitDuration: 1, waitDurationUnit: 'month' }), 400, 'stages[0].conditions[0].waitDurationUnit: must be one of minute, hour, calendarDay, calendarWeek');
    await refused(condition({ kind: 'schedule', scheduleKind: 'relative', waitDuration: 600, waitDurationUnit: 'calendarWeek' }), 400, 'stages[0].conditions[0].waitDuration: must wait at most ten years');
    await refused(condition({ kind: 'schedule', executeNow: 'yes' }), 400, 'stages[0].conditions[0].executeNow: must be a boolean');
    await refused(condition({ kind: 'schedule', executeNow: true, when: 'now' }), 400, 'stages[0].conditions[0].when: is not a field of a workflow condition');
    await refused(condition({ kind: 'ld-approval', notifyMemberIds: ['nobody'] }), 400, 'stages[0].conditions[0].notifyMemberIds[0]: there is no member with _id "nobody"');
    await refused(condition({ kind: 'ld-approval', notifyTeamKeys: ['no-team'] }), 400, 'stages[0].conditions[0].notifyTeamKeys[0]: there is no team with the key "no-team"');
    await refused(condition({ kind: 'ld-approval', notifyMemberIds: 'me' }), 400, 'stages[0].conditions[0].notifyMemberIds: must be an array of strings');
    await refused(condition({ kind: 'ld-approval', integrationConfig: { ticket: 1 } }), 400, 'stages[0].conditions[0].integrationConfig: is not supported');
    await refused(condition({ kind: 'ld-approval', description: ['why'] }), 400, 'stages[0].conditions[0].description: must be a string');
  });

  it("400 naming the stage instruction that does not apply to the flag as the stages before it leave it", async () => {
    const res = await refused(post({ name: 'x', stages: [stage(), stage({ action: { instructions: [{ kind: 'turnFlagOn' }, { kind: 'updateOffVariation', variationId: 'no-such-variation' }] } })] }), 400, 'stages[1].action.instructions[1].variationId');
    expect(res.body.errors).toEqual([{ attribute: 'stages[1].action.instructions[1].variationId', reason: expect.stringContaining('no-such-variation') }]);
    // The rule is there now, but the first stage removes it: the second stage meets the flag as the first leaves it.
    await refused(
      post({ name: 'x', stages: [stage({ action: { instructions: [{ kind: 'removeRule', ruleId: w.ruleId }] } }), stage({ action: { instructions: [{ kind: 'updateRuleDescription', ruleId: w.ruleId, description: 'gone' }] } })] }),
      400,
      'stages[1].action.instructions[0].ruleId',
    );
  });

  it('400 for the query: dryRun, templateKey named twice differently, parameters without a template, stages with one', async () => {
    await refused(post({ name: 'x', stages: [stage()] }, '?dryRun=perhaps'), 400, 'dryRun: must be true or false');
    await refused(post({ name: 'x', stages: [stage()], templateKey: 'b' }, '?templateKey=a'), 400, 'templateKey: the query says "a" and the body "b"');
    await refused(post({ name: 'x', stages: [stage()], parameters: [] }), 400, 'parameters: override the parameters of a template');
    expect((await s.post('/api/v2/templates', { key: 'tpl', stages: [stage({ action: { instructions: [{ kind: 'updateOffVariation', variationId: w.variations[0] }] } })], projectKey: w.project, environmentKey: 'production', flagKey: w.flag })).status).toBe(201);
    await refused(post({ name: 'x', stages: [stage()] }, '?templateKey=tpl'), 400, 'stages: must be left out: the template "tpl" gives the stages');
    await refused(post({ name: 'x', parameters: {} }, '?templateKey=tpl'), 400, 'parameters: must be an array');
    await refused(post({ name: 'x', parameters: [{ _id: 'x', path: '/variationId' }] }, '?templateKey=tpl'), 400, 'parameters[0]: must be {"_id": ..., "path": ..., "default": {"value": ...}}');
    await refused(post({ name: 'x', parameters: [{ _id: 'x', path: '/variationId', default: { value: 'v' } }] }, '?templateKey=tpl'), 400, 'parameters[0]: the template has no parameter with _id "x" and path "/variationId"');
    await refused(post({ name: 'x' }, '?templateKey=no-such-template'), 404, 'Workflow template "no-such-template" not found');
  });

  it('odd values in every field of a workflow, stage, condition and template parameter: a 400, never a 500; a refusal writes nothing', { timeout: 180_000 }, async () => {
    const odd: unknown[] = [null, true, 1e300, 'x'.repeat(6000), [], [[null]], { __proto__: { polluted: true } }];
    const bodies: unknown[] = [];
    for (const value of odd) {
      bodies.push({ name: value, stages: [stage()] }, { name: 'x', stages: value }, { name: 'x', stages: [stage({ conditions: value })] }, { name: 'x', stages: [stage({ action: value })] });
      bodies.push({ name: 'x', stages: [stage({ action: { instructions: value } })] }, { name: 'x', stages: [stage({ name: value, executeConditionsInSequence: value })] });
      for (const field of ['kind', 'scheduleKind', 'waitDuration', 'waitDurationUnit', 'executeNow']) {
        bodies.push({ name: 'x', stages: [stage({ conditions: [{ kind: 'schedule', scheduleKind: 'relative', waitDuration: 1, waitDurationUnit: 'hour', [field]: value }] })] });
      }
      bodies.push({ name: 'x', stages: [stage({ conditions: [{ kind: 'schedule', scheduleKind: 'absolute', executionDate: value }] })] });
      for (const field of ['kind', 'description', 'notifyMemberIds', 'notifyTeamKeys']) bodies.push({ name: 'x', stages: [stage({ conditions: [{ kind: 'ld-approval', [field]: value }] })] });
      bodies.push({ name: 'x', templateKey: 'odd-tpl', parameters: value }, { name: 'x', templateKey: 'odd-tpl', parameters: [{ _id: value, path: value, default: { value } }] });
    }
    const template = { key: 'odd-tpl', stages: [stage({ conditions: [{ kind: 'schedule', scheduleKind: 'absolute', executionDate: clock + 1 }], action: { instructions: [{ kind: 'updateOffVariation', variationId: w.variations[0] }] } })], projectKey: w.project, environmentKey: 'production', flagKey: w.flag };
    expect((await s.post('/api/v2/templates', template)).status).toBe(201);
    const [date, variation] = (await s.post(`${path()}?templateKey=odd-tpl&dryRun=true`, { name: 'x' })).body.meta.parameters;
    for (const value of odd) bodies.push({ name: 'x', templateKey: 'odd-tpl', parameters: [{ ...date, default: { value } }, { ...variation, default: { value } }] });
    const made: string[] = [];
    // One digest of the store a body (the last one's serves as the next one's before): some hundred bodies.
    let before = await digestStore(s.store);
    for (const body of bodies) {
      const res = await s.post(path(), body);
      const what = `${JSON.stringify(body).slice(0, 200)}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      const after = await digestStore(s.store);
      // Some odd values are fine where they are (null reviewers are none, an empty description is one, true is executeNow).
      if (res.status === 201) made.push(res.body._id);
      else {
        expect([400, 404], what).toContain(res.status);
        expect(after, what).toBe(before);
      }
      before = after;
    }
    for (const id of made) expect((await s.del(`${path()}/${id}`)).status).toBe(204);
    expect((await s.del('/api/v2/templates/odd-tpl')).status).toBe(204);
    // What those that applied at once changed, undone.
    expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
  });

  it('404s name the missing project, flag, environment and workflow', async () => {
    await refused(() => s.post(path('production', 'checkout-button', 'nope'), { name: 'x', stages: [stage()] }), 404, 'Project "nope" not found');
    await refused(() => s.post(path('production', 'nope'), { name: 'x', stages: [stage()] }), 404, 'Flag "nope" in project "proj" not found');
    await refused(() => s.post(path('nope'), { name: 'x', stages: [stage()] }), 404, 'Environment "nope"');
    await refused(() => s.del(`${path()}/does-not-exist`), 404, 'Workflow "does-not-exist" not found');
    const made = (await s.post(path(), { name: 'x', stages: [stage()] })).body;
    const read = await s.get(`${path('test')}/${made._id}`);
    expect(read.status).toBe(404);
    expect(read.body).toEqual({ code: 'not_found', message: `Workflow "${made._id}" not found` });
    await refused(() => s.del(`${path('test')}/${made._id}`), 404, `Workflow "${made._id}" not found`);
  });

  it('400 for the list: an unknown status, sort or page', async () => {
    for (const [query, field] of [
      ['status=running', 'status: must be one of active, completed, failed'],
      ['sort=name', 'sort: cannot sort by "name"'],
      ['limit=0', 'limit'],
      ['offset=-1', 'offset'],
    ]) {
      const res = await s.get(`${path()}?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toContain(field);
    }
  });

  it("405 where the environment requires approval: a stage without an ld-approval condition is the caller's own change", async () => {
    const settings = (required: boolean) => s.patch(`/api/v2/projects/${w.project}/environments/production`, [{ op: 'replace', path: '/approvalSettings/required', value: required }]);
    expect((await settings(true)).status).toBe(200);
    await refused(post({ name: 'x', stages: [stage()] }), 405, 'Approval is required to make this request: environment "production" requires approval for changes to this flag');
    // Even stages that undo one another (nothing changed, judged now) change the flag when they run.
    const on = { action: { instructions: [{ kind: 'turnFlagOn' }] } };
    for (const stages of [[stage(), stage(on)], [stage(on), stage()]]) await refused(post({ name: 'x', stages }), 405, 'Approval is required to make this request');
    const approved = await s.post(path(), { name: 'x', stages: [stage({ conditions: [{ kind: 'ld-approval' }] })] });
    expect(approved.status).toBe(201);
    await s.del(`${path()}/${approved.body._id}`);
    expect((await settings(false)).status).toBe(200);
  });

  it('templates: 400 for the body, 404 for what it names, 404 for a key that is no template', async () => {
    const template = (body: unknown) => () => s.post('/api/v2/templates', body);
    const ofStages = { stages: [stage()], projectKey: w.project, environmentKey: 'production', flagKey: w.flag };
    await refused(template([]), 400, 'body: must be an object');
    await refused(template(ofStages), 400, 'key');
    await refused(template({ ...ofStages, key: 'has space' }), 400, 'key: must start with a letter or digit');
    await refused(template({ ...ofStages, key: 'k', owner: 'me' }), 400, 'owner: is not allowed');
    await refused(template({ key: 'k', stages: [stage()] }), 400, 'projectKey: must be present');
    await refused(template({ key: 'k', stages: [stage()] }), 400, 'flagKey: must be present');
    await refused(template({ key: 'k', projectKey: w.project, environmentKey: 'production', flagKey: w.flag }), 400, 'stages: must be present');
    await refused(template({ ...ofStages, key: 'k', stages: [stage({ conditions: [{ kind: 'later' }] })] }), 400, 'stages[0].conditions[0].kind: must be schedule or ld-approval');
    await refused(template({ ...ofStages, key: 'k', flagKey: 'nope' }), 404, 'Flag "nope" in project "proj" not found');
    await refused(template({ key: 'k', workflowId: 'does-not-exist' }), 404, 'Workflow "does-not-exist" not found');
    await refused(template({ key: 'k', workflowId: 'does-not-exist', stages: [stage()] }), 400, 'stages: must be left out: workflowId names the workflow');
    await refused(() => s.del('/api/v2/templates/no-such-template'), 404, 'Workflow template "no-such-template" not found');
    const res = await s.get('/api/v2/templates?summary=maybe');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('summary: must be true or false');
  });
});
