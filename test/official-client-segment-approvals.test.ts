// The official REST client (launchdarkly-api-typescript) takes a segment change through required segment approvals
// over real HTTP, unchanged: EnvironmentsApi.patchEnvironment requires them (resourceApprovalSettings.segment),
// SegmentsApi.patchSegment is then refused (403 "approval is required"), and ApprovalsApi asks with the segment's resourceId, reviews (as
// another member), applies and reads the request; the segment shows the change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalsApi, Configuration, EnvironmentsApi, SegmentsApi } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { createWorld, memberWithToken, type World } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

describe('segment approvals through launchdarkly-api-typescript (ApprovalsApi, EnvironmentsApi, SegmentsApi)', () => {
  let s: TestServer;
  let w: World;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    expect((await s.post(`/api/v2/segments/${w.project}/production`, { key: 'beta', name: 'Beta' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('required: patchSegment is refused; a request, approved by another member and applied, changes the segment', async () => {
    const config = (apiKey: string) => new Configuration({ apiKey, basePath: s.url });
    const approvals = new ApprovalsApi(config(s.tokens.writer));
    const segments = new SegmentsApi(config(s.tokens.writer));
    const reviewer = new ApprovalsApi(config((await memberWithToken(s, 'reviewer@acme.com', 'Rae')).token));

    const env = await new EnvironmentsApi(config(s.tokens.admin)).patchEnvironment(w.project, 'production', [{ op: 'replace', path: '/resourceApprovalSettings/segment/required', value: true }]);
    expect(env.data.resourceApprovalSettings?.segment).toMatchObject({ required: true, minNumApprovals: 1 });

    const instructions = [{ kind: 'addIncludedTargets', contextKind: 'user', values: ['ada'] }];
    const refused = await clientFailure(segments.patchSegment(w.project, 'production', 'beta', { patch: [{ op: 'add', path: '/included/0', value: 'ada' }] }));
    expect(refused.status).toBe(403);
    expect(refused.data.code).toBe('forbidden');
    // LaunchDarkly's Terraform provider recognises the refusal by this phrase.
    expect(refused.data.message).toContain('approval is required');

    const resourceId = `proj/${w.project}:env/production:segment/beta`;
    const created = await approvals.postApprovalRequest({ resourceId, description: 'Add ada to beta', instructions });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ resourceId, status: 'pending', instructions });
    const id = created.data._id;

    expect((await reviewer.postApprovalRequestReview(id, { kind: 'approve', comment: 'fine' })).data.reviewStatus).toBe('approved');
    const applied = await approvals.postApprovalRequestApply(id, { comment: 'go' });
    expect(applied.data.status).toBe('completed');
    expect((await approvals.getApprovalRequest(id)).data.status).toBe('completed');
    expect((await segments.getSegment(w.project, 'production', 'beta')).data.included).toEqual(['ada']);
  });
});
