// The official REST client (launchdarkly-api-typescript) takes a flag change through required approvals over real
// HTTP, unchanged: EnvironmentsApi.patchEnvironment requires approval in production, FeatureFlagsApi.patchFeatureFlag
// is then refused (405), and ApprovalsApi asks (flag-scoped and account-wide), lists, reads, reviews, applies and
// deletes requests; the official Node SDK serves the flag as the applied request left it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { ApprovalsApi, Configuration, EnvironmentsApi, FeatureFlagsApi } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { createWorld, memberWithToken, type World } from './support/fixtures.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

describe('approvals through launchdarkly-api-typescript (ApprovalsApi, EnvironmentsApi, FeatureFlagsApi) and the Node SDK', () => {
  let s: TestServer;
  let w: World;
  let sdk: LDClient;
  /** The requestor's clients (the owner's writer token). */
  let approvals: ApprovalsApi;
  let environments: EnvironmentsApi;
  let flags: FeatureFlagsApi;
  /** Another member's: the reviewer. */
  let reviewer: ApprovalsApi;
  let ownerId: string;
  let reviewerId: string;
  const user = { kind: 'user', key: 'ada', groups: ['beta'] };

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    const config = (apiKey: string) => new Configuration({ apiKey, basePath: s.url });
    approvals = new ApprovalsApi(config(s.tokens.writer));
    environments = new EnvironmentsApi(config(s.tokens.admin));
    flags = new FeatureFlagsApi(config(s.tokens.writer));
    ownerId = (await s.get('/api/v2/members/me')).body._id;
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

  it('required approval: the flag PATCH is refused; a request, approved by another member and applied, turns the flag off', async () => {
    const required = await environments.patchEnvironment(w.project, 'production', [
      { op: 'replace', path: '/approvalSettings/required', value: true },
      { op: 'replace', path: '/approvalSettings/minNumApprovals', value: 1 },
    ]);
    expect(required.data.approvalSettings).toMatchObject({ required: true, minNumApprovals: 1, canReviewOwnRequest: false, serviceKind: 'launchdarkly' });

    const refused = await clientFailure(flags.patchFeatureFlag(w.project, w.flag, { patch: [{ op: 'replace', path: '/environments/production/on', value: false }], comment: 'off now' }));
    expect(refused.status).toBe(405);
    expect(refused.data.code).toBe('method_not_allowed');
    expect(refused.data.message).toMatch(/^Approval is required to make this request/);
    expect(await sdk.variation(w.flag, user, 'default')).toBe(true);

    const created = await approvals.postApprovalRequestForFlag(w.project, w.flag, 'production', {
      description: 'Turn the checkout button off',
      instructions: [{ kind: 'turnFlagOff' }],
      comment: 'incident 42',
      notifyMemberIds: [reviewerId],
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ status: 'pending', reviewStatus: 'pending', requestorId: ownerId, notifyMemberIds: [reviewerId], instructions: [{ kind: 'turnFlagOff' }] });
    const id = created.data._id;
    expect((await approvals.getApprovalsForFlag(w.project, w.flag, 'production')).data.items.map((i) => i._id)).toEqual([id]);
    expect((await approvals.getApprovalForFlag(w.project, w.flag, 'production', id)).data).toEqual(created.data);

    // The requestor may neither approve their own request nor apply it unapproved.
    const own = await clientFailure(approvals.postApprovalRequestReviewForFlag(w.project, w.flag, 'production', id, { kind: 'approve' }));
    expect(own.status).toBe(403);
    const early = await clientFailure(approvals.postApprovalRequestApplyForFlag(w.project, w.flag, 'production', id, {}));
    expect(early.status).toBe(400);

    const reviewed = await reviewer.postApprovalRequestReviewForFlag(w.project, w.flag, 'production', id, { kind: 'approve', comment: 'go ahead' });
    expect(reviewed.data).toMatchObject({ reviewStatus: 'approved', allReviews: [{ kind: 'approve', comment: 'go ahead', memberId: reviewerId }] });
    expect(await sdk.variation(w.flag, user, 'default')).toBe(true);

    const applied = await approvals.postApprovalRequestApplyForFlag(w.project, w.flag, 'production', id, { comment: 'applying' });
    expect(applied.status).toBe(200);
    expect(applied.data).toMatchObject({ status: 'completed', reviewStatus: 'approved', appliedByMemberId: ownerId });
    expect(applied.data.appliedDate).toEqual(expect.any(Number));
    expect((await flags.getFeatureFlag(w.project, w.flag)).data.environments!.production.on).toBe(false);
    await vi.waitFor(async () => expect(await sdk.variationDetail(w.flag, user, 'default')).toMatchObject({ value: false, reason: { kind: 'OFF' } }), { timeout: 15_000, interval: 250 });

    expect((await approvals.deleteApprovalRequestForFlag(w.project, w.flag, 'production', id)).status).toBe(204);
    expect((await approvals.getApprovalsForFlag(w.project, w.flag, 'production')).data.items).toEqual([]);
  });

  it('account-wide: asked by resourceId, listed with a filter and expanded, reviewed by the requestor where allowed, applied; the SDK serves the flag on', async () => {
    await environments.patchEnvironment(w.project, 'production', [{ op: 'replace', path: '/approvalSettings/canReviewOwnRequest', value: true }]);
    const resourceId = `proj/${w.project}:env/production:flag/${w.flag}`;
    const created = await approvals.postApprovalRequest({ resourceId, description: 'Back on', instructions: [{ kind: 'turnFlagOn' }] });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ status: 'pending', reviewStatus: 'pending', requestorId: ownerId });
    const id = created.data._id;

    const listed = await approvals.getApprovalRequests(`status anyOf ["pending"], projectKey equals ${w.project}`, 'project,environments,flag', 10, 0);
    expect(listed.data.totalCount).toBe(1);
    expect(listed.data.items.map((i) => i._id)).toEqual([id]);
    const item = listed.data.items[0];
    expect(item).toMatchObject({ resourceId, approvalSettings: { required: true, canReviewOwnRequest: true }, project: { key: w.project }, flag: { key: w.flag } });
    expect(item.environments?.map((e) => e.key)).toEqual(['production']);
    expect((await approvals.getApprovalRequest(id, 'flag')).data).toMatchObject({ _id: id, flag: { key: w.flag } });

    const reviewed = await approvals.postApprovalRequestReview(id, { kind: 'approve' });
    expect(reviewed.data).toMatchObject({ reviewStatus: 'approved', allReviews: [{ kind: 'approve', memberId: ownerId }] });
    const applied = await approvals.postApprovalRequestApply(id, { comment: 'restore' });
    expect(applied.data).toMatchObject({ _id: id, status: 'completed', appliedByMemberId: ownerId });
    expect((await flags.getFeatureFlag(w.project, w.flag)).data.environments!.production.on).toBe(true);
    await vi.waitFor(async () => expect(await sdk.variationDetail(w.flag, user, 'default')).toMatchObject({ value: true, reason: { kind: 'RULE_MATCH' } }), { timeout: 15_000, interval: 250 });

    const completed = await approvals.getApprovalRequests('status anyOf ["completed"]');
    expect(completed.data.items.map((i) => i._id)).toEqual([id]);
    expect((await approvals.deleteApprovalRequest(id)).status).toBe(204);
    expect((await clientFailure(approvals.getApprovalRequest(id))).status).toBe(404);
  });

  it('approval no longer required: the same PATCH goes through', async () => {
    await environments.patchEnvironment(w.project, 'production', [{ op: 'replace', path: '/approvalSettings/required', value: false }]);
    const patched = await flags.patchFeatureFlag(w.project, w.flag, { patch: [{ op: 'replace', path: '/environments/production/on', value: false }] });
    expect(patched.data.environments!.production.on).toBe(false);
    await vi.waitFor(async () => expect(await sdk.variation(w.flag, user, 'default')).toBe(false), { timeout: 15_000, interval: 250 });
  });
});
