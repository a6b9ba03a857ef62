// Workflow templates: made from stages for a flag in an environment, or from a workflow (201, every instruction and
// condition given an _id), listed oldest first (`search`, `summary`), and deleted (204). A workflow made from one
// (postWorkflow `templateKey`) takes its stages, each parameter's default carried to the new flag (a variation by its
// value); `dryRun` reports in `meta` which parameters are valid there, a workflow is refused while some are not, and
// `parameters` override them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSegment, createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { advanceWorkflows } from './run.js';

describe('workflow templates', () => {
  let s: TestServer;
  let w: World;
  let me: { _id: string };
  let clock = Date.UTC(2026, 11, 5, 12);
  const DAY = 86_400_000;
  const workflows = (flag: string, env: string) => `/api/v2/projects/${w.project}/flags/${flag}/environments/${env}/workflows`;
  let other: { variations: { _id: string; value: unknown }[]; environments: { test: { rules: { _id: string }[] } } };
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
    me = (await s.get('/api/v2/members/me')).body;
    await createSegment(s, w.project, 'production', 'beta-testers');
    await createSegment(s, w.project, 'test', 'testers');
    // Another boolean flag, its variations in the other order, with a rule in test.
    expect((await s.post(`/api/v2/flags/${w.project}`, { key: 'other', name: 'Other', variations: [{ value: false }, { value: true }] })).status).toBe(201);
    await s.patch(`/api/v2/flags/${w.project}/other`, { environmentKey: 'test', instructions: [{ kind: 'addRule', clauses: [{ attribute: 'country', op: 'in', values: ['fr'] }], variationId: (await s.get(`/api/v2/flags/${w.project}/other`)).body.variations[1]._id }] });
    other = (await s.get(`/api/v2/flags/${w.project}/other`)).body;
  });
  afterAll(() => s.close());

  const stages = () => [
    {
      name: 'Beta',
      conditions: [{ kind: 'schedule', scheduleKind: 'absolute', executionDate: clock + DAY }],
      action: { instructions: [{ kind: 'addRule', clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta-testers'] }], variationId: w.variations[0] }] },
    },
    {
      name: 'Describe',
      conditions: [{ kind: 'ld-approval', description: 'ok?', notifyMemberIds: [me._id] }],
      action: { instructions: [{ kind: 'updateRuleDescription', ruleId: w.ruleId, description: 'Beta users' }, { kind: 'updateOffVariation', variationId: w.variations[1] }] },
    },
  ];

  it("201 from stages for a flag in an environment: the spec's fields, each stage, condition and instruction with an _id", async () => {
    const res = await s.post('/api/v2/templates', { key: 'beta-rollout', name: 'Beta rollout', description: 'Segment first', stages: stages(), projectKey: w.project, environmentKey: 'production', flagKey: w.flag });
    expect(res.status).toBe(201);
    const id = expect.stringMatching(/^[0-9a-f]{24}$/);
    expect(res.body).toEqual({
      _id: id,
      _key: 'beta-rollout',
      name: 'Beta rollout',
      _creationDate: clock,
      _ownerId: me._id,
      _maintainerId: me._id,
      _links: { parent: { href: '/api/v2/templates', type: 'application/json' }, self: { href: '/api/v2/templates/beta-rollout', type: 'application/json' } },
      description: 'Segment first',
      stages: [
        {
          _id: id,
          name: 'Beta',
          conditions: [{ _id: id, kind: 'schedule', _execution: { status: 'pending' }, scheduleKind: 'absolute', executionDate: clock + DAY, description: '', notifyMemberIds: [], allReviews: [], reviewStatus: '' }],
          action: { kind: 'patch', instructions: [{ _id: id, ...stages()[0].action.instructions[0] }] },
          _execution: { status: 'pending' },
        },
        {
          _id: id,
          name: 'Describe',
          conditions: [{ _id: id, kind: 'ld-approval', _execution: { status: 'pending' }, description: 'ok?', notifyMemberIds: [me._id], allReviews: [], reviewStatus: 'pending' }],
          action: { kind: 'patch', instructions: stages()[1].action.instructions.map((i) => ({ _id: id, ...i })) },
          _execution: { status: 'pending' },
        },
      ],
    });
  });

  it('201 from a workflow: its stages as they were asked, whatever their progress', async () => {
    const workflow = (await s.post(workflows(w.flag, 'production'), { name: 'Nightly', stages: [{ conditions: [{ kind: 'schedule', scheduleKind: 'relative', waitDuration: 2, waitDurationUnit: 'hour' }], action: { instructions: [{ kind: 'turnFlagOff' }] } }] })).body;
    const res = await s.post('/api/v2/templates', { key: 'nightly', workflowId: workflow._id });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('name');
    expect(res.body.stages).toEqual([
      {
        _id: expect.any(String),
        conditions: [{ _id: expect.any(String), kind: 'schedule', _execution: { status: 'pending' }, scheduleKind: 'relative', waitDuration: 2, waitDurationUnit: 'hour', description: '', notifyMemberIds: [], allReviews: [], reviewStatus: '' }],
        action: { kind: 'patch', instructions: [{ _id: expect.any(String), kind: 'turnFlagOff' }] },
        _execution: { status: 'pending' },
      },
    ]);
    expect(res.body.stages[0]._id).not.toBe(workflow.stages[0]._id);
    expect((await s.del(`${workflows(w.flag, 'production')}/${workflow._id}`)).status).toBe(204);
  });

  it('listed oldest first; search finds a name or description (any case); summary=true leaves the stages out', async () => {
    const keys = async (query: string) => (await s.get(`/api/v2/templates${query}`)).body.items.map((t: { _key: string }) => t._key);
    expect(await keys('')).toEqual(['beta-rollout', 'nightly']);
    expect(await keys('?search=SEGMENT')).toEqual(['beta-rollout']);
    expect(await keys('?search=rollout')).toEqual(['beta-rollout']);
    expect(await keys('?search=nothing-like-it')).toEqual([]);
    const summary = (await s.get('/api/v2/templates?summary=true')).body.items;
    expect(summary.map((t: Record<string, unknown>) => Object.keys(t).sort())).toEqual([
      ['_creationDate', '_id', '_key', '_links', '_maintainerId', '_ownerId', 'description', 'name'],
      ['_creationDate', '_id', '_key', '_links', '_maintainerId', '_ownerId'],
    ]);
  });

  it("dryRun on another flag and environment: meta says which parameters fit (a variation carried by its value), nothing is made", async () => {
    const res = await s.post(`${workflows('other', 'test')}?templateKey=beta-rollout&dryRun=true`, {});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Beta rollout', description: 'Segment first', templateKey: 'beta-rollout', _execution: { status: 'active' } });
    const trueOfOther = other.variations.find((v) => v.value === true)!._id;
    const falseOfOther = other.variations.find((v) => v.value === false)!._id;
    expect(res.body.meta.parameters).toEqual([
      { _id: expect.any(String), path: '/executionDate', default: { value: clock + DAY }, valid: true },
      { _id: expect.any(String), path: '/variationId', default: { value: trueOfOther, booleanVariationValue: true }, valid: true },
      { _id: expect.any(String), path: '/clauses/0/values', default: { value: ['beta-testers'], ruleClause: { attribute: 'segmentMatch', op: 'segmentMatch', negate: false } }, valid: false },
      { _id: expect.any(String), path: '/ruleId', default: { value: w.ruleId }, valid: false },
      { _id: expect.any(String), path: '/variationId', default: { value: falseOfOther, booleanVariationValue: false }, valid: true },
    ]);
    expect(res.body.stages[0].action.instructions[0].variationId).toBe(trueOfOther);
    expect((await s.get(workflows('other', 'test'))).body.items).toEqual([]);
  });

  it('without dryRun, invalid parameters refuse the workflow (400 naming each, with meta); overridden, it is made and runs', async () => {
    const refused = await s.post(`${workflows('other', 'test')}?templateKey=beta-rollout`, { name: 'Beta on other' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('invalid_request');
    expect(refused.body.message).toContain('/clauses/0/values (["beta-testers"]) is not valid for the flag "other" in the environment "test"');
    expect(refused.body.message).toContain(`/ruleId ("${w.ruleId}") is not valid`);
    expect(refused.body.meta.parameters.filter((p: { valid: boolean }) => !p.valid)).toHaveLength(2);
    const [, , segments, rule] = refused.body.meta.parameters;
    const made = await s.post(workflows('other', 'test'), {
      name: 'Beta on other',
      templateKey: 'beta-rollout',
      parameters: [
        { _id: segments._id, path: '/clauses/0/values', default: { value: ['testers'] } },
        { _id: rule._id, path: '/ruleId', default: { value: other.environments.test.rules[0]._id } },
      ],
    });
    expect(made.status).toBe(201);
    expect(made.body.templateKey).toBe('beta-rollout');
    expect(made.body.meta.parameters.every((p: { valid: boolean }) => p.valid)).toBe(true);
    expect(made.body.stages[0].action.instructions[0].clauses[0].values).toEqual(['testers']);
    expect((await s.get(`${workflows('other', 'test')}/${made.body._id}`)).body).not.toHaveProperty('meta');
    clock += DAY;
    await advanceWorkflows(s.deps);
    const rules = (await s.get(`/api/v2/flags/${w.project}/other`)).body.environments.test.rules;
    expect(rules).toHaveLength(2);
    expect(rules[1].clauses[0]).toMatchObject({ op: 'segmentMatch', values: ['testers'] });
  });

  it('a key in use is a 409; deleted (204), a template is gone, and workflows made from it go on', async () => {
    const again = await s.post('/api/v2/templates', { key: 'nightly', stages: stages(), projectKey: w.project, environmentKey: 'production', flagKey: w.flag });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: 'conflict', message: 'A workflow template with the key "nightly" already exists' });
    expect((await s.del('/api/v2/templates/beta-rollout')).status).toBe(204);
    expect((await s.get('/api/v2/templates')).body.items.map((t: { _key: string }) => t._key)).toEqual(['nightly']);
    expect((await s.get(workflows('other', 'test'))).body.items.map((i: { templateKey: string }) => i.templateKey)).toEqual(['beta-rollout']);
    const [entry] = (await s.get('/api/v2/auditlog')).body.items;
    expect(entry).toMatchObject({ shortDescription: 'deleted the workflow template beta-rollout' });
  });

  it('concurrent deletes of one template: one 204 and one audit entry, the rest 404', async () => {
    expect((await s.post('/api/v2/templates', { key: 'raced', stages: stages(), projectKey: w.project, environmentKey: 'production', flagKey: w.flag })).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 6 }, () => s.del('/api/v2/templates/raced')));
    expect(results.map((r) => r.status).sort()).toEqual([204, 404, 404, 404, 404, 404]);
    const entries = (await s.get('/api/v2/auditlog?limit=20')).body.items.filter((e: { shortDescription: string }) => e.shortDescription === 'deleted the workflow template raced');
    expect(entries).toHaveLength(1);
  });
});
