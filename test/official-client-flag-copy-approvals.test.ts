// The official REST client (launchdarkly-api-typescript) asks for a copy of a flag's settings through
// ApprovalsApi.postFlagCopyConfigApprovalRequest, unchanged, over real HTTP: another member reviews it with
// postApprovalRequestReviewForFlag, the requestor applies it with postApprovalRequestApplyForFlag, and the target
// environment's flag, read with FeatureFlagsApi, then serves as the source's does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalsApi, Configuration, FeatureFlagsApi } from 'launchdarkly-api-typescript';
import { copiedSettings, createWorld, memberWithToken, type World } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

describe('copy approval requests through launchdarkly-api-typescript (ApprovalsApi, FeatureFlagsApi)', () => {
  let s: TestServer;
  let w: World;
  let approvals: ApprovalsApi;
  let reviewer: ApprovalsApi;
  let flags: FeatureFlagsApi;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    const config = (apiKey: string) => new Configuration({ apiKey, basePath: s.url });
    approvals = new ApprovalsApi(config(s.tokens.writer));
    flags = new FeatureFlagsApi(config(s.tokens.writer));
    reviewer = new ApprovalsApi(config((await memberWithToken(s, 'reviewer@acme.com', 'Rae')).token));
  });
  afterAll(() => s.close());

  it('asked, reviewed and applied: the target environment is the source environment', async () => {
    const source = (await flags.getFeatureFlag(w.project, w.flag)).data.environments!.production;
    const created = await approvals.postFlagCopyConfigApprovalRequest(w.project, w.flag, 'test', {
      description: 'Promote production to test',
      source: { key: 'production', version: source.version },
      comment: 'release 7',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ status: 'pending', reviewStatus: 'pending', source: { key: 'production', version: source.version } });
    const id = created.data._id;
    expect((await approvals.getApprovalsForFlag(w.project, w.flag, 'test')).data.items.map((i) => i._id)).toEqual([id]);

    const reviewed = await reviewer.postApprovalRequestReviewForFlag(w.project, w.flag, 'test', id, { kind: 'approve' });
    expect(reviewed.data.reviewStatus).toBe('approved');
    const applied = await approvals.postApprovalRequestApplyForFlag(w.project, w.flag, 'test', id, { comment: 'go' });
    expect(applied.data).toMatchObject({ status: 'completed', source: { key: 'production' } });

    const environments = (await flags.getFeatureFlag(w.project, w.flag)).data.environments!;
    expect(environments.test.on).toBe(true);
    expect(copiedSettings(environments.test)).toEqual(copiedSettings(environments.production));
  });
});
