// Workflows run for real: made (201, its first stage started), moved on by the job as the clock goes (a relative wait
// counts from when its stage started, an absolute date is kept), each stage applied through the flag update path (a
// new version, audited as the workflow's) until the workflow completes; an approval condition is a real approval
// request of the flag, which the workflow applies once it is approved; conditions in sequence start one after
// another; a stage nothing holds applies at once; a dry run makes nothing; conflicts with the flag's scheduled changes
// and other workflows are shown; a stage whose instructions no longer apply fails the workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, flagVersion, memberWithToken, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { advanceWorkflows } from './run.js';

describe('workflows', () => {
  let s: TestServer;
  let w: World;
  let clock = Date.UTC(2026, 11, 5, 12);
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const path = (env = 'production') => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/${env}/workflows`;
  const approvals = () => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/approval-requests`;
  const production = async () => (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production;
  const auditTop = async () => (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items[0];
  const schedule = (hours: number) => ({ kind: 'schedule', scheduleKind: 'relative', waitDuration: hours, waitDurationUnit: 'hour' });
  const run = () => advanceWorkflows(s.deps);
  let me: { _id: string };
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
    me = (await s.get('/api/v2/members/me')).body;
  });
  afterAll(() => s.close());

  it("201 with the spec's fields: the first stage started (a relative wait shows its date), the others pending; read back and listed", async () => {
    const body = {
      name: 'Progressive rollout',
      description: 'Half, then everyone',
      stages: [
        { name: 'Half', conditions: [schedule(2)], action: { instructions: [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [w.variations[0]]: 50000, [w.variations[1]]: 50000 } }] } },
        { name: 'All', conditions: [{ kind: 'schedule', scheduleKind: 'absolute', executionDate: clock + 3 * DAY }], action: { instructions: [{ kind: 'updateFallthroughVariationOrRollout', variationId: w.variations[0] }] } },
      ],
    };
    const res = await s.post(path(), body);
    expect(res.status).toBe(201);
    const id = res.body._id;
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _version: 1,
      _conflicts: [],
      _creationDate: clock,
      _maintainerId: me._id,
      _links: { parent: { href: path(), type: 'application/json' }, self: { href: `${path()}/${id}`, type: 'application/json' } },
      name: 'Progressive rollout',
      description: 'Half, then everyone',
      kind: 'custom',
      stages: [
        {
          _id: expect.any(String),
          name: 'Half',
          conditions: [
            { _id: expect.any(String), kind: 'schedule', _execution: { status: 'active' }, scheduleKind: 'relative', executionDate: clock + 2 * HOUR, waitDuration: 2, waitDurationUnit: 'hour', description: '', notifyMemberIds: [], allReviews: [], reviewStatus: '' },
          ],
          action: { kind: 'patch', instructions: body.stages[0].action.instructions },
          _execution: { status: 'active' },
        },
        {
          _id: expect.any(String),
          name: 'All',
          conditions: [{ _id: expect.any(String), kind: 'schedule', _execution: { status: 'pending' }, scheduleKind: 'absolute', executionDate: clock + 3 * DAY, description: '', notifyMemberIds: [], allReviews: [], reviewStatus: '' }],
          action: { kind: 'patch', instructions: body.stages[1].action.instructions },
          _execution: { status: 'pending' },
        },
      ],
      _execution: { status: 'active' },
    });
    expect((await s.get(`${path()}/${id}`)).body).toEqual(res.body);
    expect((await s.get(path())).body).toEqual({ items: [res.body], totalCount: 1, _links: { self: { href: `${path()}?limit=20&offset=0`, type: 'application/json' } } });
    expect((await auditTop()).shortDescription).toBe('created the workflow "Progressive rollout" of the flag Checkout button in production');
  });

  it('runs as the clock goes: each stage applied when its condition is met (a new flag version, audited), then completed', async () => {
    const [workflow] = (await s.get(path())).body.items;
    const version = await flagVersion(s, w.project, w.flag);
    clock += 2 * HOUR - 1;
    await run();
    expect((await production()).fallthrough).toEqual({ variation: 0 });
    clock += 1;
    expect(await run()).toBe(1);
    expect((await production()).fallthrough.rollout.variations.map((v: { weight: number }) => v.weight)).toEqual([50000, 50000]);
    expect(await flagVersion(s, w.project, w.flag)).toBe(version + 1);
    const entries = (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items;
    const applied = entries.find((e: { shortDescription: string }) => e.shortDescription === 'applied stage 1 ("Half") of workflow "Progressive rollout" to the flag Checkout button in production');
    expect(applied).toMatchObject({ description: 'applied stage 1 ("Half") of workflow "Progressive rollout" to the flag Checkout button in production\n\nworkflow "Progressive rollout": stage 1 ("Half")' });
    expect(applied).not.toHaveProperty('member');
    const halfway = (await s.get(`${path()}/${workflow._id}`)).body;
    expect(halfway.stages.map((st: { _execution: unknown }) => st._execution)).toEqual([{ status: 'completed', stopDate: clock }, { status: 'active' }]);
    expect(halfway._execution).toEqual({ status: 'active' });

    clock = workflow.stages[1].conditions[0].executionDate;
    await run();
    expect((await production()).fallthrough).toEqual({ variation: 0 });
    expect(await flagVersion(s, w.project, w.flag)).toBe(version + 2);
    const done = (await s.get(`${path()}/${workflow._id}`)).body;
    expect(done._execution).toEqual({ status: 'completed', stopDate: clock });
    expect(done.stages[1]).toMatchObject({ _execution: { status: 'completed', stopDate: clock }, conditions: [{ _execution: { status: 'completed', stopDate: clock } }] });
    // A completed workflow stays put.
    clock += DAY;
    await run();
    expect(await flagVersion(s, w.project, w.flag)).toBe(version + 2);
  });

  it('an approval condition asks a real approval request of the flag; the workflow applies it once approved (not the apply route)', async () => {
    const reviewer = await memberWithToken(s, 'reviewer@example.com', 'Rita');
    const res = await s.post(path(), {
      name: 'Approved switch-off',
      stages: [{ name: 'Off', conditions: [{ kind: 'ld-approval', description: 'Switch it off?', notifyMemberIds: [reviewer.id] }], action: { instructions: [{ kind: 'turnFlagOff' }] } }],
    });
    expect(res.status).toBe(201);
    expect(res.body.stages[0].conditions[0]).toEqual({
      _id: expect.any(String),
      kind: 'ld-approval',
      _execution: { status: 'active' },
      description: 'Switch it off?',
      notifyMemberIds: [reviewer.id],
      allReviews: [],
      reviewStatus: 'pending',
    });
    const [request] = (await s.get(approvals())).body.items;
    expect(request).toMatchObject({
      description: 'Switch it off?',
      requestorId: me._id,
      notifyMemberIds: [reviewer.id],
      instructions: [{ kind: 'turnFlagOff' }],
      status: 'pending',
      customWorkflowMetadata: { name: 'Approved switch-off', stage: { index: 0, name: 'Off' } },
    });
    const applied = await s.post(`${approvals()}/${request._id}/apply`, {});
    expect(applied.status).toBe(400);
    expect(applied.body.message).toBe(`The approval request is for stage 1 of workflow ${res.body._id}: the workflow applies its instructions itself once the request is approved`);
    await run();
    expect((await production()).on).toBe(true);

    expect((await s.post(`${approvals()}/${request._id}/reviews`, { kind: 'approve', comment: 'fine' }, { token: reviewer.token })).status).toBe(200);
    clock += 1000;
    await run();
    expect((await production()).on).toBe(false);
    const done = (await s.get(`${path()}/${res.body._id}`)).body;
    expect(done._execution).toEqual({ status: 'completed', stopDate: clock });
    expect(done.stages[0].conditions[0]).toMatchObject({
      _execution: { status: 'completed', stopDate: clock },
      reviewStatus: 'approved',
      allReviews: [{ kind: 'approve', comment: 'fine', memberId: reviewer.id }],
      appliedDate: clock,
    });
    expect((await s.get(`${approvals()}/${request._id}`)).body).toMatchObject({ status: 'completed', reviewStatus: 'approved', appliedDate: clock });
    expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
  });

  it('conditions in sequence start one after another: the approval is asked only once the wait is over', async () => {
    await s.patch(`/api/v2/projects/${w.project}/environments/production`, [{ op: 'replace', path: '/approvalSettings/canReviewOwnRequest', value: true }]);
    const res = await s.post(path(), {
      name: 'Wait, then ask',
      stages: [{ executeConditionsInSequence: true, conditions: [schedule(1), { kind: 'ld-approval' }], action: { instructions: [{ kind: 'turnFlagOff' }] } }],
    });
    expect(res.body.stages[0].conditions.map((c: { _execution: unknown }) => c._execution)).toEqual([{ status: 'active' }, { status: 'pending' }]);
    const pending = () => s.get(approvals()).then((r) => r.body.items.filter((i: { status: string }) => i.status === 'pending'));
    expect(await pending()).toEqual([]);
    clock += HOUR;
    await run();
    const [request] = await pending();
    expect(request).toMatchObject({ description: 'Approve stage 1 of workflow "Wait, then ask"', customWorkflowMetadata: { name: 'Wait, then ask', stage: { index: 0, name: '' } } });
    const waiting = (await s.get(`${path()}/${res.body._id}`)).body.stages[0].conditions;
    expect(waiting.map((c: { _execution: unknown }) => c._execution)).toEqual([{ status: 'completed', stopDate: clock }, { status: 'active' }]);
    await s.post(`${approvals()}/${request._id}/reviews`, { kind: 'approve' });
    await run();
    expect((await production()).on).toBe(false);
    expect((await s.get(`${path()}/${res.body._id}`)).body._execution.status).toBe('completed');
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: true }]);
  });

  it('a stage nothing holds (no conditions, or executeNow) is applied as the workflow is made; the next starts then', async () => {
    const res = await s.post(path(), {
      name: 'Now and later',
      stages: [
        { name: 'Now', conditions: [{ kind: 'schedule', executeNow: true }], action: { instructions: [{ kind: 'updateOffVariation', variationId: w.variations[0] }] } },
        { name: 'Later', conditions: [schedule(5)], action: { instructions: [{ kind: 'updateOffVariation', variationId: w.variations[1] }] } },
      ],
    });
    expect(res.status).toBe(201);
    expect((await production()).offVariation).toBe(0);
    expect(res.body.stages[0]).toMatchObject({ _execution: { status: 'completed', stopDate: clock }, conditions: [{ executeNow: true, executionDate: clock, _execution: { status: 'completed', stopDate: clock } }] });
    expect(res.body.stages[1].conditions[0]).toMatchObject({ _execution: { status: 'active' }, executionDate: clock + 5 * HOUR });
    const bare = await s.post(path(), { name: 'Bare', stages: [{ action: { instructions: [{ kind: 'updateOffVariation', variationId: w.variations[1] }] } }] });
    expect(bare.body._execution).toEqual({ status: 'completed', stopDate: clock });
    expect((await production()).offVariation).toBe(1);
    expect((await s.del(`${path()}/${res.body._id}`)).status).toBe(204);
  });

  it('dryRun=true checks and shows the workflow, and makes nothing', async () => {
    const before = (await s.get(path())).body.totalCount;
    const requests = (await s.get(approvals())).body.items.length;
    const res = await s.post(`${path()}?dryRun=true`, { name: 'Just looking', stages: [{ conditions: [{ kind: 'ld-approval' }], action: { instructions: [{ kind: 'turnFlagOff' }] } }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Just looking', _execution: { status: 'active' }, stages: [{ _execution: { status: 'active' }, conditions: [{ kind: 'ld-approval', reviewStatus: 'pending' }] }] });
    expect((await s.get(`${path()}/${res.body._id}`)).status).toBe(404);
    expect((await s.get(path())).body.totalCount).toBe(before);
    expect((await s.get(approvals())).body.items).toHaveLength(requests);
  });

  it("conflicts: a stage to come that changes what the flag's scheduled changes or another workflow's stages to come change", async () => {
    const scheduled = (await s.post(`/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/scheduled-changes`, { executionDate: clock + DAY, instructions: [{ kind: 'turnFlagOff' }] })).body;
    const first = (await s.post(path(), { name: 'First', stages: [{ name: 'Off', conditions: [schedule(3)], action: { instructions: [{ kind: 'turnFlagOff' }] } }] })).body;
    expect(first._conflicts).toEqual([{ stageId: first.stages[0]._id, message: `scheduled change ${scheduled._id} for ${new Date(clock + DAY).toISOString()} also changes the flag's targeting on or off` }]);
    const second = (await s.post(path(), { name: 'Second', stages: [{ conditions: [schedule(4)], action: { instructions: [{ kind: 'turnFlagOn' }, { kind: 'updateOffVariation', variationId: w.variations[0] }] } }] })).body;
    expect(second._conflicts).toContainEqual({ stageId: second.stages[0]._id, message: `stage "Off" of workflow "First" (${first._id}) also changes the flag's targeting on or off` });
    expect((await s.get(`${path()}/${first._id}`)).body._conflicts).toHaveLength(2);
    for (const id of [first._id, second._id]) expect((await s.del(`${path()}/${id}`)).status).toBe(204);
    await s.del(`/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/scheduled-changes/${scheduled._id}`);
  });

  it('a stage whose instructions no longer apply when it comes fails the workflow, the flag unchanged', async () => {
    const rule = (await production()).rules[0];
    const res = await s.post(path(), { name: 'Describe the rule', stages: [{ name: 'Describe', conditions: [schedule(1)], action: { instructions: [{ kind: 'updateRuleDescription', ruleId: rule._id, description: 'later' }] } }] });
    expect(res.status).toBe(201);
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, { environmentKey: 'production', instructions: [{ kind: 'removeRule', ruleId: rule._id }] });
    const version = await flagVersion(s, w.project, w.flag);
    clock += HOUR;
    await run();
    expect(await flagVersion(s, w.project, w.flag)).toBe(version);
    const failed = (await s.get(`${path()}/${res.body._id}`)).body;
    expect(failed._execution).toEqual({ status: 'failed', stopDate: clock });
    expect(failed.stages[0]._execution).toEqual({ status: 'failed', stopDate: clock });
    expect((await auditTop()).shortDescription).toContain('workflow "Describe the rule" of the flag Checkout button in production: stage 1 ("Describe") failed: its instructions no longer apply to the flag');
    expect((await s.get(`${path()}?status=failed`)).body.items.map((i: { _id: string }) => i._id)).toEqual([res.body._id]);
  });

  it("deleting an approval request a workflow awaits fails the workflow at the next run", async () => {
    const res = await s.post(path(), { name: 'Needs a yes', stages: [{ conditions: [{ kind: 'ld-approval' }], action: { instructions: [{ kind: 'turnFlagOff' }] } }] });
    const request = (await s.get(approvals())).body.items.find((i: { customWorkflowMetadata?: { name: string } }) => i.customWorkflowMetadata?.name === 'Needs a yes');
    expect((await s.del(`${approvals()}/${request._id}`)).status).toBe(204);
    await run();
    const failed = (await s.get(`${path()}/${res.body._id}`)).body;
    expect(failed._execution.status).toBe('failed');
    expect(failed.stages[0].conditions[0]._execution).toEqual({ status: 'active' });
    expect((await production()).on).toBe(true);
  });

  it('a maintainer other than the maker; workflows are kept per environment', async () => {
    const other = await memberWithToken(s, 'maintainer@example.com');
    const res = await s.post(path('test'), { name: 'In test', maintainerId: other.id, stages: [{ conditions: [schedule(1)], action: { instructions: [{ kind: 'turnFlagOff' }] } }] });
    expect(res.body._maintainerId).toBe(other.id);
    expect((await s.get(path('test'))).body.items.map((i: { _id: string }) => i._id)).toEqual([res.body._id]);
    expect((await s.get(`${path()}/${res.body._id}`)).status).toBe(404);
  });
});
