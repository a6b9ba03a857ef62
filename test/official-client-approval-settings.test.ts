// Approval request settings by project over real HTTP, with the official REST client (launchdarkly-api-typescript)
// around them: a flag setting changed through patchApprovalRequestSettings is the environment's approvalSettings
// that EnvironmentsApi reads, and what FeatureFlagsApi and ApprovalsApi then meet (405 when required, the number of
// approvals to apply). launchdarkly-api-typescript 17.2.0, the newest published, does not generate the two beta
// operations yet (its ApprovalsBetaApi has only patchApprovalRequest and patchFlagConfigApprovalRequest), so they
// are sent as the generated Go client sends them for terraform-provider-launchdarkly: `LD-API-Version: beta`, an
// ApprovalRequestSettingsPatch body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalsApi, Configuration, EnvironmentsApi, FeatureFlagsApi } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { createWorld, memberWithToken, type World } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

describe('approval request settings by project, with launchdarkly-api-typescript (EnvironmentsApi, FeatureFlagsApi, ApprovalsApi)', () => {
  let s: TestServer;
  let w: World;
  let environments: EnvironmentsApi;
  let flags: FeatureFlagsApi;
  let approvals: ApprovalsApi;
  let reviewer: ApprovalsApi;

  /** getApprovalRequestSettings / patchApprovalRequestSettings over HTTP, as a generated client calls them. */
  async function settings(method: 'GET' | 'PATCH', query = '', body?: object): Promise<{ status: number; data: any }> {
    const res = await fetch(`${s.url}/api/v2/approval-requests/projects/${w.project}/settings${query}`, {
      method,
      headers: { Authorization: s.tokens.admin, 'LD-API-Version': 'beta', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, data: await res.json() };
  }

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    const config = (apiKey: string) => new Configuration({ apiKey, basePath: s.url });
    environments = new EnvironmentsApi(config(s.tokens.admin));
    flags = new FeatureFlagsApi(config(s.tokens.writer));
    approvals = new ApprovalsApi(config(s.tokens.writer));
    reviewer = new ApprovalsApi(config((await memberWithToken(s, 'reviewer@acme.com')).token));
  });
  afterAll(() => s.close());

  it('required with two approvals: EnvironmentsApi reads it, the flag PATCH is refused, a request applies only once two approve', async () => {
    const patched = await settings('PATCH', '', { environmentKey: 'production', resourceKind: 'flag', required: true, minNumApprovals: 2, canReviewOwnRequest: true });
    expect(patched.status, JSON.stringify(patched.data)).toBe(200);
    expect(patched.data.flag.environments.production).toMatchObject({ required: true, minNumApprovals: 2, canReviewOwnRequest: true });
    expect((await environments.getEnvironment(w.project, 'production')).data.approvalSettings).toEqual(patched.data.flag.environments.production);

    const refused = await clientFailure(flags.patchFeatureFlag(w.project, w.flag, { patch: [{ op: 'replace', path: '/environments/production/on', value: false }] }));
    expect(refused.status).toBe(405);

    const id = (await approvals.postApprovalRequestForFlag(w.project, w.flag, 'production', { description: 'Off', instructions: [{ kind: 'turnFlagOff' }] })).data._id;
    await reviewer.postApprovalRequestReviewForFlag(w.project, w.flag, 'production', id, { kind: 'approve' });
    expect((await clientFailure(approvals.postApprovalRequestApplyForFlag(w.project, w.flag, 'production', id, {}))).status).toBe(400);
    await approvals.postApprovalRequestReviewForFlag(w.project, w.flag, 'production', id, { kind: 'approve' });
    expect((await approvals.postApprovalRequestApplyForFlag(w.project, w.flag, 'production', id, {})).data.status).toBe('completed');
    expect((await flags.getFeatureFlag(w.project, w.flag)).data.environments!.production.on).toBe(false);
  });

  it('patchEnvironment turning approvals off is what getApprovalRequestSettings reads, and the flag PATCH goes through', async () => {
    await environments.patchEnvironment(w.project, 'production', [{ op: 'replace', path: '/approvalSettings/required', value: false }]);
    const read = await settings('GET', '?environmentKey=production&resourceKind=flag&expand=default');
    expect(read.status).toBe(200);
    expect(read.data.flag.environments.production).toMatchObject({ required: false, minNumApprovals: 2 });
    expect(read.data.flag._default).toMatchObject({ required: false, minNumApprovals: 1 });
    expect((await flags.patchFeatureFlag(w.project, w.flag, { patch: [{ op: 'replace', path: '/environments/production/on', value: true }] })).data.environments!.production.on).toBe(true);
  });
});
