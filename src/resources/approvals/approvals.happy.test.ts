// Approval requests end to end: asked (201, checked against the flag now), listed newest first, read, renamed,
// reviewed, applied through the flag update path (a new version, audited) or turned into a scheduled change when
// they carry an execution date; the account-wide routes filter, page and expand. Environments that require
// approval refuse direct targeting changes, and the approved request is the way in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { executeDueScheduledChanges } from '../scheduled-changes/execute.js';

describe('approval requests', () => {
  let s: TestServer;
  let w: World;
  const clock = Date.UTC(2026, 11, 5, 12);
  const path = (env = 'production') => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/${env}/approval-requests`;
  const production = () => `/api/v2/projects/${w.project}/environments/production`;
  const isOn = async () => (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.on as boolean;
  const settings = (values: Record<string, unknown>) => s.patch(production(), Object.entries(values).map(([k, value]) => ({ op: 'replace', path: `/approvalSettings/${k}`, value })));
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it("201 with the spec's fields; listed newest first, read back, and shown account-wide with its resourceId", async () => {
    const me = (await s.get('/api/v2/members/me')).body;
    const first = (await s.post(path(), { description: 'Turn it off', instructions: [{ kind: 'turnFlagOff' }] })).body;
    const res = await s.post(path(), { description: 'Beta off', instructions: [{ kind: 'updateOffVariation', variationId: w.variations[1] }], comment: 'please', notifyMemberIds: [me._id] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _version: 1,
      creationDate: clock,
      serviceKind: 'launchdarkly',
      requestorId: me._id,
      description: 'Beta off',
      reviewStatus: 'pending',
      allReviews: [],
      notifyMemberIds: [me._id],
      status: 'pending',
      instructions: [{ kind: 'updateOffVariation', variationId: w.variations[1] }],
      conflicts: [],
      _links: { parent: { href: path(), type: 'application/json' }, self: { href: `${path()}/${res.body._id}`, type: 'application/json' } },
    });
    const list = (await s.get(path())).body;
    expect(list.items.map((i: { _id: string }) => i._id)).toEqual([res.body._id, first._id]);
    expect((await s.get(`${path()}/${res.body._id}`)).body).toEqual(res.body);
    const wide = (await s.get(`/api/v2/approval-requests/${res.body._id}`)).body;
    expect(wide).toMatchObject({ _id: res.body._id, resourceId: `proj/${w.project}:env/production:flag/${w.flag}`, approvalSettings: { required: false, minNumApprovals: 1 } });
    expect(wide._links.self.href).toBe(`/api/v2/approval-requests/${res.body._id}`);
    for (const id of [first._id, res.body._id]) expect((await s.del(`${path()}/${id}`)).status).toBe(204);
    expect((await s.get(path())).body.items).toEqual([]);
  });

  it('two pending requests that change the same thing show each other as conflicts', async () => {
    const a = (await s.post(path(), { description: 'off', instructions: [{ kind: 'turnFlagOff' }] })).body;
    const b = (await s.post(path(), { description: 'on', instructions: [{ kind: 'turnFlagOn' }] })).body;
    expect(b.conflicts).toEqual([{ instruction: { kind: 'turnFlagOn' }, reason: `pending approval request ${a._id} also changes the flag's targeting on or off` }]);
    expect((await s.get(`${path()}/${a._id}`)).body.conflicts).toHaveLength(1);
    for (const id of [a._id, b._id]) await s.del(`${path()}/${id}`);
  });

  it('reviewed, then applied: the flag changes, the request completes, and the audit log says so', async () => {
    expect((await settings({ canReviewOwnRequest: true })).status).toBe(200);
    const me = (await s.get('/api/v2/members/me')).body;
    const id = (await s.post(path(), { description: 'Turn it off', instructions: [{ kind: 'turnFlagOff' }] })).body._id;
    const commented = (await s.post(`${path()}/${id}/reviews`, { kind: 'comment', comment: 'looking' })).body;
    expect(commented).toMatchObject({ reviewStatus: 'pending', _version: 2, allReviews: [{ kind: 'comment', comment: 'looking', memberId: me._id, creationDate: clock }] });
    const renamed = await s.patch(`${path()}/${id}`, { instructions: [{ kind: 'updateDescription', value: 'Switch it off' }, { kind: 'addReviewers', notifyMemberIds: [me._id] }] });
    expect(renamed.body).toMatchObject({ description: 'Switch it off', notifyMemberIds: [me._id], _version: 3 });
    const approved = (await s.post(`${path()}/${id}/reviews`, { kind: 'approve' })).body;
    expect(approved.reviewStatus).toBe('approved');
    expect(await isOn()).toBe(true);
    const applied = await s.post(`${path()}/${id}/apply`, { comment: 'go' });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ status: 'completed', reviewStatus: 'approved', appliedDate: clock, appliedByMemberId: me._id });
    expect(await isOn()).toBe(false);
    const entries = (await s.get('/api/v2/auditlog?limit=3')).body.items.map((e: { description: string }) => e.description);
    expect(entries[0]).toContain(`applied approval request ${id}`);
    expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
  });

  it('a request with an execution date to come becomes a scheduled change when applied', async () => {
    const id = (await s.post(path(), { description: 'Tonight', instructions: [{ kind: 'turnFlagOff' }], executionDate: clock + 3_600_000 })).body._id;
    await s.post(`${path()}/${id}/reviews`, { kind: 'approve' });
    const applied = (await s.post(`${path()}/${id}/apply`, {})).body;
    expect(applied).toMatchObject({ status: 'scheduled', executionDate: clock + 3_600_000 });
    const schedules = (await s.get(`/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/scheduled-changes`)).body.items;
    expect(schedules).toEqual([expect.objectContaining({ executionDate: clock + 3_600_000, instructions: [{ kind: 'turnFlagOff' }] })]);
    expect(await isOn()).toBe(true);
    await s.del(`/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/scheduled-changes/${schedules[0]._id}`);
  });

  it('required approvals: a direct targeting change is a 405, other changes pass, and an approved request gets it through', async () => {
    expect((await settings({ required: true })).body.approvalSettings).toMatchObject({ required: true });
    const refused = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
    expect(refused.status).toBe(405);
    expect(refused.body).toMatchObject({ code: 'method_not_allowed', message: expect.stringMatching(/^Approval is required to make this request: environment "production"/) });
    expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/test/on', value: true }])).status).toBe(200);
    expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/description', value: 'described' }])).status).toBe(200);
    const id = (await s.post('/api/v2/approval-requests', { resourceId: `proj/${w.project}:env/production:flag/${w.flag}`, description: 'off', instructions: [{ kind: 'turnFlagOff' }] })).body._id;
    await s.post(`/api/v2/approval-requests/${id}/reviews`, { kind: 'approve' });
    expect((await s.post(`/api/v2/approval-requests/${id}/apply`, {})).body.status).toBe('completed');
    expect(await isOn()).toBe(false);
    await settings({ required: false });
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: true }]);
  });

  it('account-wide: filtered by status and project, paged, and expanded', async () => {
    const pending = (await s.post(path(), { description: 'later', instructions: [{ kind: 'turnFlagOff' }] })).body._id;
    const all = (await s.get('/api/v2/approval-requests')).body;
    expect(all.totalCount).toBeGreaterThanOrEqual(3);
    const filtered = (await s.get(`/api/v2/approval-requests?filter=${encodeURIComponent(`status anyOf ["pending"], projectKey equals ${w.project}`)}&expand=project,flag,environments`)).body;
    expect(filtered.items.map((i: { _id: string }) => i._id)).toEqual([pending]);
    expect(filtered.totalCount).toBe(1);
    expect(filtered.items[0].project).toMatchObject({ key: w.project });
    expect(filtered.items[0].flag).toMatchObject({ key: w.flag });
    expect(filtered.items[0].flag.environments).toBeUndefined();
    expect(filtered.items[0].environments).toEqual([expect.objectContaining({ key: 'production' })]);
    const paged = (await s.get('/api/v2/approval-requests?limit=1&offset=1')).body;
    expect(paged.items).toHaveLength(1);
    expect(paged._links.next.href).toContain('offset=2');
    expect((await s.get(`/api/v2/approval-requests?filter=${encodeURIComponent('status anyOf ["completed"]')}`)).body.items.every((i: { status: string }) => i.status === 'completed')).toBe(true);
  });

  it("a workflow's id names the approval request its run awaits, on the flag's routes and account-wide (as LaunchDarkly documents)", async () => {
    const workflows = `/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/workflows`;
    const workflow = (await s.post(workflows, { name: 'Asked', stages: [{ conditions: [{ kind: 'ld-approval', description: 'Off?' }], action: { instructions: [{ kind: 'turnFlagOff' }] } }] })).body;
    const [asked] = (await s.get(path())).body.items;
    expect(asked.customWorkflowMetadata).toMatchObject({ name: 'Asked' });
    expect((await s.get(`${path()}/${workflow._id}`)).body._id).toBe(asked._id);
    expect((await s.get(`/api/v2/approval-requests/${workflow._id}`)).body._id).toBe(asked._id);
    const commented = await s.post(`/api/v2/approval-requests/${workflow._id}/reviews`, { kind: 'comment', comment: 'looking' });
    expect(commented.status).toBe(200);
    expect(commented.body).toMatchObject({ _id: asked._id, allReviews: [{ kind: 'comment', comment: 'looking' }] });
    expect((await s.get(`${path('test')}/${workflow._id}`)).status).toBe(404);
    expect((await s.del(`${workflows}/${workflow._id}`)).status).toBe(204);
  });
});

describe('a scheduled approval request once its schedule runs', () => {
  let s: TestServer;
  let w: World;
  let now = Date.UTC(2026, 11, 5, 12);
  const path = () => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/approval-requests`;
  beforeAll(async () => {
    s = await startServer({ now: () => now });
    w = await createWorld(s);
    expect((await s.patch(`/api/v2/projects/${w.project}/environments/production`, [{ op: 'replace', path: '/approvalSettings/canReviewOwnRequest', value: true }])).status).toBe(200);
  });
  afterAll(() => s.close());
  async function scheduled(description: string, instructions: unknown[]): Promise<string> {
    const id = (await s.post(path(), { description, instructions, executionDate: now + 60_000 })).body._id;
    expect((await s.post(`${path()}/${id}/reviews`, { kind: 'approve' })).status).toBe(200);
    expect((await s.post(`${path()}/${id}/apply`, {})).body.status).toBe('scheduled');
    return id;
  }

  it('completed when it applied; failed, with why, when it no longer could', async () => {
    const done = await scheduled('Tonight', [{ kind: 'turnFlagOff' }]);
    now += 60_000;
    await executeDueScheduledChanges(s.deps);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.on).toBe(false);
    expect((await s.get(`${path()}/${done}`)).body).toMatchObject({ status: 'completed', _version: 4 });

    // A rule on a segment deleted before it comes due.
    const segments = `/api/v2/segments/${w.project}/production`;
    expect((await s.post(segments, { key: 'beta-testers', name: 'Beta testers' })).status).toBe(201);
    const clause = { contextKind: 'user', attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta-testers'] };
    const failed = await scheduled('Tomorrow', [{ kind: 'addRule', clauses: [clause], variationId: w.variations[0] }]);
    expect((await s.del(`${segments}/beta-testers`)).status).toBe(204);
    now += 60_000;
    await executeDueScheduledChanges(s.deps);
    expect((await s.get(`${path()}/${failed}`)).body.status).toBe('failed');
    expect(JSON.stringify((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.rules)).not.toContain('beta-testers');
  });
});
