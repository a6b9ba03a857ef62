// The official REST client (launchdarkly-api-typescript) drives workflows and workflow templates over real HTTP,
// unchanged: WorkflowsApi.postWorkflow (stages of schedule and ld-approval conditions; templateKey and dryRun as its
// arguments), getWorkflows (status, sort, limit), getCustomWorkflow, deleteWorkflow; WorkflowTemplatesApi
// createWorkflowTemplate (from a workflow), getWorkflowTemplates (summary, search), deleteWorkflowTemplate. A
// maintenance-window workflow runs to completion under a fake clock (the job's pass called as the clock moves, as the
// scheduled-changes tests do): its approval is a real request that another member approves through ApprovalsApi, and
// the official Node SDK serves the flag as each stage leaves it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { ApprovalsApi, Configuration, WorkflowsApi, WorkflowTemplatesApi, type CustomWorkflowInput } from 'launchdarkly-api-typescript';
import { advanceWorkflows } from '../src/resources/workflows/run.js';
import { clientFailure } from './support/client.js';
import { createWorld, memberWithToken, type World } from './support/fixtures.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

describe('workflows through launchdarkly-api-typescript (WorkflowsApi, WorkflowTemplatesApi) and the Node SDK', () => {
  let s: TestServer;
  let w: World;
  let sdk: LDClient;
  let workflows: WorkflowsApi;
  let templates: WorkflowTemplatesApi;
  let reviewer: ApprovalsApi;
  let reviewerId: string;
  let clock = Date.now();
  const HOUR = 3_600_000;
  const user = { kind: 'user', key: 'ada' };
  const served = () => sdk.variationDetail(w.flag, user, 'default');

  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock });
    w = await createWorld(s);
    const config = (apiKey: string) => new Configuration({ apiKey, basePath: s.url });
    workflows = new WorkflowsApi(config(s.tokens.writer));
    templates = new WorkflowTemplatesApi(config(s.tokens.writer));
    const other = await memberWithToken(s, 'reviewer@acme.com', 'Rae');
    reviewerId = other.id;
    reviewer = new ApprovalsApi(config(other.token));
    sdk = sdkClient(s.url, await sdkKeyOf(s, w.project));
    await sdk.waitForInitialization({ timeout: 10 });
  });
  afterAll(async () => {
    sdk.close();
    await s.close();
  });

  const maintenance = (): CustomWorkflowInput => ({
    name: 'Maintenance window',
    description: 'Off for two hours, back on once approved',
    stages: [
      { name: 'Off', conditions: [{ kind: 'schedule', scheduleKind: 'relative', waitDuration: 1, waitDurationUnit: 'hour' }], action: { instructions: [{ kind: 'turnFlagOff' }] } },
      {
        name: 'Back on',
        executeConditionsInSequence: true,
        conditions: [
          { kind: 'schedule', scheduleKind: 'relative', waitDuration: 2, waitDurationUnit: 'hour' },
          { kind: 'ld-approval', description: 'Maintenance over?', notifyMemberIds: [reviewerId] },
        ],
        action: { instructions: [{ kind: 'turnFlagOn' }] },
      },
    ],
  });

  it('a maintenance window runs to completion: each stage when its conditions are met, the SDK serving each', async () => {
    const created = await workflows.postWorkflow(w.project, w.flag, 'production', maintenance());
    expect(created.status).toBe(201);
    const id = created.data._id;
    expect(created.data).toMatchObject({ name: 'Maintenance window', kind: 'custom', _version: 1, _conflicts: [], _execution: { status: 'active' } });
    expect(created.data.stages!.map((stage) => stage._execution.status)).toEqual(['active', 'pending']);
    expect((await served()).value).toBe(true);

    clock += HOUR;
    await advanceWorkflows(s.deps);
    await vi.waitFor(async () => expect(await served()).toMatchObject({ value: false, reason: { kind: 'OFF' } }), { timeout: 10_000, interval: 100 });
    const halfway = (await workflows.getCustomWorkflow(w.project, w.flag, 'production', id)).data;
    expect(halfway.stages!.map((stage) => stage._execution.status)).toEqual(['completed', 'active']);
    expect(halfway.stages![1].conditions.map((c) => c._execution.status)).toEqual(['active', 'pending']);

    clock += 2 * HOUR;
    await advanceWorkflows(s.deps);
    const [request] = (await reviewer.getApprovalsForFlag(w.project, w.flag, 'production')).data.items;
    expect(request).toMatchObject({ description: 'Maintenance over?', notifyMemberIds: [reviewerId], instructions: [{ kind: 'turnFlagOn' }], customWorkflowMetadata: { name: 'Maintenance window', stage: { index: 1, name: 'Back on' } } });
    await advanceWorkflows(s.deps);
    expect((await served()).value).toBe(false);

    const reviewed = await reviewer.postApprovalRequestReviewForFlag(w.project, w.flag, 'production', request._id, { kind: 'approve', comment: 'all clear' });
    expect(reviewed.data.reviewStatus).toBe('approved');
    await advanceWorkflows(s.deps);
    await vi.waitFor(async () => expect(await served()).toMatchObject({ value: true }), { timeout: 10_000, interval: 100 });
    const done = (await workflows.getCustomWorkflow(w.project, w.flag, 'production', id)).data;
    expect(done._execution).toEqual({ status: 'completed', stopDate: clock });
    expect(done.stages![1].conditions[1]).toMatchObject({ reviewStatus: 'approved', appliedDate: clock, allReviews: [{ kind: 'approve', comment: 'all clear', memberId: reviewerId }] });

    const listed = await workflows.getWorkflows(w.project, w.flag, 'production', 'completed', '-stopDate', 10);
    expect(listed.data.totalCount).toBe(1);
    expect(listed.data.items[0]).toEqual(done);
    expect((await workflows.getWorkflows(w.project, w.flag, 'production', 'active')).data.items).toEqual([]);
  });

  it('templates: saved from a workflow, listed, applied to another flag (dryRun first), deleted; a deleted workflow stops', async () => {
    const source = (await workflows.getWorkflows(w.project, w.flag, 'production')).data.items[0];
    const saved = await templates.createWorkflowTemplate({ key: 'maintenance', name: 'Maintenance', description: 'Two-hour window', workflowId: source._id });
    expect(saved.status).toBe(201);
    expect(saved.data).toMatchObject({ _key: 'maintenance', name: 'Maintenance', _links: { self: { href: '/api/v2/templates/maintenance' } } });
    expect(saved.data.stages!.map((stage) => stage.name)).toEqual(['Off', 'Back on']);
    expect((await templates.getWorkflowTemplates(true, 'window')).data.items.map((t) => [t._key, t.stages])).toEqual([['maintenance', undefined]]);

    expect((await s.post(`/api/v2/flags/${w.project}`, { key: 'search-box', name: 'Search box' })).status).toBe(201);
    expect((await s.patch(`/api/v2/flags/${w.project}/search-box`, [{ op: 'replace', path: '/environments/test/on', value: true }])).status).toBe(200);
    const dry = await workflows.postWorkflow(w.project, 'search-box', 'test', { name: 'Test window' }, 'maintenance', true);
    expect(dry.status).toBe(201);
    expect(dry.data).toMatchObject({ name: 'Test window', templateKey: 'maintenance', meta: { parameters: [] } });
    expect((await workflows.getWorkflows(w.project, 'search-box', 'test')).data.totalCount).toBe(0);
    const made = await workflows.postWorkflow(w.project, 'search-box', 'test', { name: 'Test window', templateKey: 'maintenance' });
    expect(made.data.stages!.map((stage) => stage.action.instructions)).toEqual([[{ kind: 'turnFlagOff' }], [{ kind: 'turnFlagOn' }]]);
    expect((await workflows.deleteWorkflow(w.project, 'search-box', 'test', made.data._id)).status).toBe(204);
    clock += 10 * HOUR;
    await advanceWorkflows(s.deps);
    expect((await s.get(`/api/v2/flags/${w.project}/search-box`)).body.environments.test.on).toBe(true);

    expect((await templates.deleteWorkflowTemplate('maintenance')).status).toBe(204);
    const gone = await clientFailure(workflows.postWorkflow(w.project, 'search-box', 'test', { name: 'x' }, 'maintenance'));
    expect(gone).toEqual({ status: 404, data: { code: 'not_found', message: 'Workflow template "maintenance" not found' } });
    const bad = await clientFailure(workflows.postWorkflow(w.project, w.flag, 'production', { name: 'x', stages: [{ conditions: [{ kind: 'schedule' }], action: { instructions: [{ kind: 'turnFlagOn' }] } }] }));
    expect(bad.status).toBe(400);
    expect(bad.data.message).toContain('stages[0].conditions[0].scheduleKind');
  });
});
