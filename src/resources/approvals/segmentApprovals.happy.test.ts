// Segment approval requests end to end, through the account-wide routes: asked with a segment's resourceId and
// patchSegment's instructions (201, checked against the segment now), read, listed beside flags' and filtered by
// resource kind, reviewed, applied through the segment update path (a new version, audited), deleted. An environment
// that requires approval for segments refuses direct targeting changes (403 "approval is required", as LaunchDarkly
// answers it) and lets name changes through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, memberWithToken, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('segment approval requests', () => {
  let s: TestServer;
  let w: World;
  let reviewer: string;
  const clock = Date.UTC(2026, 11, 5, 12);
  const wide = '/api/v2/approval-requests';
  const segmentPath = () => `/api/v2/segments/${w.project}/production/beta`;
  const resourceId = () => `proj/${w.project}:env/production:segment/beta`;
  const include = (key: string) => [{ kind: 'addIncludedTargets', contextKind: 'user', values: [key] }];
  const requireSegmentApproval = (required: boolean) =>
    s.patch(`/api/v2/projects/${w.project}/environments/production`, [{ op: 'replace', path: '/resourceApprovalSettings/segment/required', value: required }]);

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
    expect((await s.post(`/api/v2/segments/${w.project}/production`, { key: 'beta', name: 'Beta' })).status).toBe(201);
    reviewer = (await memberWithToken(s, 'reviewer@example.com')).token;
  });
  afterAll(() => s.close());

  it('201 with the resourceId and segment settings; read, listed with resourceKind, reviewed, applied: the segment changes', async () => {
    const me = (await s.get('/api/v2/members/me')).body;
    const res = await s.post(wide, { resourceId: resourceId(), description: 'Add ada', instructions: include('ada'), comment: 'please' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body._id;
    expect(res.body).toMatchObject({
      _version: 1,
      creationDate: clock,
      requestorId: me._id,
      description: 'Add ada',
      reviewStatus: 'pending',
      status: 'pending',
      instructions: include('ada'),
      conflicts: [],
      resourceId: resourceId(),
      approvalSettings: { required: false, minNumApprovals: 1 },
      _links: { parent: { href: wide, type: 'application/json' }, self: { href: `${wide}/${id}`, type: 'application/json' } },
    });
    expect(res.body._links).not.toHaveProperty('flag');
    expect((await s.get(`${wide}/${id}?expand=project,environments,flag`)).body).toMatchObject({ _id: id, project: { key: w.project }, environments: [{ key: 'production' }] });
    const listed = (await s.get(`${wide}?filter=${encodeURIComponent('resourceKind equals segment')}`)).body;
    expect(listed.items.map((i: { _id: string }) => i._id)).toEqual([id]);
    expect((await s.get(`${wide}?filter=${encodeURIComponent(`resourceId equals ${resourceId()}`)}`)).body.totalCount).toBe(1);

    // A second request of the same targets conflicts, naming the segment.
    const other = (await s.post(wide, { resourceId: resourceId(), description: 'Add bob', instructions: include('bob') })).body;
    expect(other.conflicts).toEqual([{ instruction: include('bob')[0], reason: `pending approval request ${id} also changes the segment's individual targets` }]);

    const reviewed = await s.post(`${wide}/${id}/reviews`, { kind: 'approve', comment: 'ok' }, { token: reviewer });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    expect(reviewed.body.reviewStatus).toBe('approved');
    const renamed = await s.patch(`${wide}/${other._id}`, { instructions: [{ kind: 'updateDescription', value: 'Add bob too' }] });
    expect(renamed.body.description).toBe('Add bob too');

    const version = (await s.get(segmentPath())).body.version;
    const applied = await s.post(`${wide}/${id}/apply`, { comment: 'go' });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toMatchObject({ status: 'completed', appliedDate: clock, appliedByMemberId: me._id });
    const segment = (await s.get(segmentPath())).body;
    expect(segment.included).toEqual(['ada']);
    expect(segment.version).toBe(version + 1);
    const audit = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`proj/${w.project}:env/production:segment/beta`)}`)).body.items;
    expect(audit.map((e: { accesses: { action: string }[] }) => e.accesses[0].action)).toEqual(expect.arrayContaining(['createApprovalRequest', 'reviewApprovalRequest', 'applyApprovalRequest', 'updateIncluded']));

    expect((await s.del(`${wide}/${other._id}`)).status).toBe(204);
    expect((await s.get(`${wide}/${other._id}`)).status).toBe(404);
  });

  it('where the environment requires segment approval: a targeting change is a 403, a name change is not, an approved request is the way in', async () => {
    expect((await requireSegmentApproval(true)).status).toBe(200);
    const refused = await s.patch(segmentPath(), { environmentKey: 'production', instructions: include('cy') });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      code: 'forbidden',
      message: `approval is required: environment "production" requires approval for changes to this segment. Create an approval request (POST /api/v2/approval-requests with the resourceId "${resourceId()}") and apply it once approved`,
    });
    expect((await s.patch(segmentPath(), [{ op: 'replace', path: '/rules', value: [] }, { op: 'add', path: '/included/0', value: 'cy' }])).status).toBe(403);
    expect((await s.patch(segmentPath(), { environmentKey: 'production', instructions: [{ kind: 'updateName', value: 'Beta testers' }] })).status).toBe(200);
    const id = (await s.post(wide, { resourceId: resourceId(), description: 'Add cy', instructions: include('cy') })).body._id;
    const early = await s.post(`${wide}/${id}/apply`, {});
    expect(early.status).toBe(400);
    expect(early.body.message).toContain('minNumApprovals');
    await s.post(`${wide}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
    expect((await s.post(`${wide}/${id}/apply`, {})).status).toBe(200);
    expect((await s.get(segmentPath())).body.included).toEqual(['ada', 'cy']);
    expect((await requireSegmentApproval(false)).status).toBe(200);
    expect((await s.patch(segmentPath(), { environmentKey: 'production', instructions: include('dee') })).status).toBe(200);
  });

  it('a request whose instructions no longer apply fails when applied, and says why; deleting the segment deletes its requests', async () => {
    const rule = (await s.patch(segmentPath(), { environmentKey: 'production', instructions: [{ kind: 'addRule', clauses: [{ attribute: 'country', op: 'in', values: ['de'], contextKind: 'user' }] }] })).body.rules[0]._id;
    const id = (await s.post(wide, { resourceId: resourceId(), description: 'Describe it', instructions: [{ kind: 'updateRuleDescription', ruleId: rule, description: 'Germany' }] })).body._id;
    await s.post(`${wide}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
    expect((await s.patch(segmentPath(), { environmentKey: 'production', instructions: [{ kind: 'removeRule', ruleId: rule }] })).status).toBe(200);
    const failed = await s.post(`${wide}/${id}/apply`, {});
    expect(failed.status).toBe(400);
    expect(failed.body.message).toMatch(/^The approval request could not be applied, and is now failed: /);
    expect((await s.get(`${wide}/${id}`)).body.status).toBe('failed');
    expect((await s.del(segmentPath())).status).toBe(204);
    expect((await s.get(`${wide}/${id}`)).status).toBe(404);
  });
});
