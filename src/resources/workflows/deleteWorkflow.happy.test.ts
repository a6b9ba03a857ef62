// Deleting a workflow stops it: 204, its stages to come never run (what it applied stays), its pending approval
// requests go with it, and the audit log says who deleted it. A flag's deletion takes its workflows with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, flagVersion, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { advanceWorkflows } from './run.js';

describe('deleteWorkflow', () => {
  let s: TestServer;
  let w: World;
  let clock = Date.UTC(2026, 11, 5, 12);
  const HOUR = 3_600_000;
  const path = (flag = w.flag) => `/api/v2/projects/${w.project}/flags/${flag}/environments/production/workflows`;
  const approvals = () => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/approval-requests`;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('stops the workflow midway: what it applied stays, the rest never runs, its pending approval request is deleted', async () => {
    const res = await s.post(path(), {
      name: 'Two steps',
      stages: [
        { action: { instructions: [{ kind: 'updateOffVariation', variationId: w.variations[0] }] } },
        { conditions: [{ kind: 'ld-approval' }, { kind: 'schedule', scheduleKind: 'relative', waitDuration: 1, waitDurationUnit: 'hour' }], action: { instructions: [{ kind: 'turnFlagOff' }] } },
      ],
    });
    expect(res.body.stages.map((st: { _execution: { status: string } }) => st._execution.status)).toEqual(['completed', 'active']);
    const [request] = (await s.get(approvals())).body.items;
    expect(request.customWorkflowMetadata).toEqual({ name: 'Two steps', stage: { index: 1, name: '' } });
    const deleted = await s.del(`${path()}/${res.body._id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
    expect((await s.get(`${path()}/${res.body._id}`)).status).toBe(404);
    expect((await s.get(approvals())).body.items).toEqual([]);
    const version = await flagVersion(s, w.project, w.flag);
    clock += 2 * HOUR;
    await advanceWorkflows(s.deps);
    const flag = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production;
    expect(flag).toMatchObject({ on: true, offVariation: 0 });
    expect(await flagVersion(s, w.project, w.flag)).toBe(version);
    const [entry] = (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items;
    expect(entry).toMatchObject({ shortDescription: 'deleted the workflow "Two steps" of the flag Checkout button in production', accesses: [{ action: 'updateFeatureWorkflows' }] });
  });

  it("a flag's deletion takes its workflows with it", async () => {
    expect((await s.post(`/api/v2/flags/${w.project}`, { key: 'short-lived', name: 'Short-lived' })).status).toBe(201);
    expect((await s.post(path('short-lived'), { name: 'Later', stages: [{ conditions: [{ kind: 'schedule', scheduleKind: 'relative', waitDuration: 1, waitDurationUnit: 'hour' }], action: { instructions: [{ kind: 'turnFlagOn' }] } }] })).status).toBe(201);
    expect((await s.del(`/api/v2/flags/${w.project}/short-lived`)).status).toBe(204);
    expect(await s.store.db.selectFrom('flag_workflows').selectAll().execute()).toEqual([]);
  });
});
