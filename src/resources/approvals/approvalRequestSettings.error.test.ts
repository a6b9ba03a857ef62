// getApprovalRequestSettings and patchApprovalRequestSettings (beta): each mistake is a 4xx naming the field (or
// what is missing) and its problem, and a refused PATCH writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('approval request settings by project: errors', () => {
  let s: TestServer;
  let w: World;
  let path: string;

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    path = `/api/v2/approval-requests/projects/${w.project}/settings`;
    // Tags required in test, so that `required: true` alone conflicts there.
    await s.patch(`/api/v2/projects/${w.project}/environments/test`, [{ op: 'replace', path: '/approvalSettings/requiredApprovalTags', value: ['risky'] }]);
  });
  afterAll(() => s.close());

  function expectError(res: Response, status: number, attribute: string, reason: RegExp | string): void {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code).toBe(status === 404 ? 'not_found' : 'invalid_request');
    expect(res.body.message).toContain(attribute);
    expect(res.body.message).toMatch(reason);
  }

  it('GET: an unknown project or environment is a 404 naming it; a resource kind other than flag, segment or aiconfig, or a repeated parameter, is a 400', async () => {
    expectError(await s.get('/api/v2/approval-requests/projects/nope/settings', BETA), 404, 'Project "nope"', /not found/);
    expectError(await s.get(`${path}?environmentKey=staging`, BETA), 404, 'Environment "staging"', /not found/);
    expectError(await s.get(`${path}?resourceKind=experiment`, BETA), 400, 'resourceKind', /"experiment" is not built: iterlab has no approvals of experiments; the resource kinds iterlab keeps approval settings for are "flag", "segment", "aiconfig"/);
    expectError(await s.get(`${path}?resourceKind=flags`, BETA), 400, 'resourceKind', /"flags" is not a resource kind/);
    expectError(await s.get(`${path}?environmentKey=test&environmentKey=production`, BETA), 400, 'environmentKey', /must be given once/);
  });

  it.each([
    ['a body that is no object', [{ environmentKey: 'production' }], 'body', /must be an object/],
    ['no environmentKey nor resourceKind', { required: true }, 'environmentKey: must be present; resourceKind', /must be present/],
    ['an empty environmentKey', { environmentKey: '', resourceKind: 'flag' }, 'environmentKey', /must be a non-empty string/],
    ['a member ApprovalRequestSettingsPatch does not have', { environmentKey: 'production', resourceKind: 'flag', reviewers: ['ada'] }, 'reviewers', /is not an approval setting/],
    ['AI Config settings out of bounds', { environmentKey: 'production', resourceKind: 'aiconfig', minNumApprovals: 9 }, 'minNumApprovals', /must be <= 5/],
    ['segment settings out of bounds', { environmentKey: 'production', resourceKind: 'segment', minNumApprovals: 0 }, 'minNumApprovals', /must be >= 1/],
    ['segment settings both required and with required tags', { environmentKey: 'production', resourceKind: 'segment', required: true, requiredApprovalTags: ['x'] }, 'requiredApprovalTags', /must be empty when required is true/],
    ['an experiment resource kind', { environmentKey: 'production', resourceKind: 'experiment', required: true }, 'resourceKind', /no approvals of experiments/],
    ['a resource kind that is no string', { environmentKey: 'production', resourceKind: 1 }, 'resourceKind', /must be a string/],
    ['minNumApprovals above five', { environmentKey: 'production', resourceKind: 'flag', minNumApprovals: 6 }, 'minNumApprovals', /must be <= 5/],
    ['minNumApprovals as text', { environmentKey: 'production', resourceKind: 'flag', minNumApprovals: '2' }, 'minNumApprovals', /must be an integer/],
    ['required null (not nullable)', { environmentKey: 'production', resourceKind: 'flag', required: null }, 'required', /must be a boolean/],
    ['another approval service', { environmentKey: 'production', resourceKind: 'flag', serviceKind: 'servicenow' }, 'serviceKind', /must be "launchdarkly"/],
    ['a service configuration', { environmentKey: 'production', resourceKind: 'flag', serviceConfig: { template: 'x' } }, 'serviceConfig', /must be empty/],
    ['auto-applied changes', { environmentKey: 'production', resourceKind: 'flag', autoApplyApprovedChanges: true }, 'autoApplyApprovedChanges', /must be false/],
    ['a custom approval integration', { environmentKey: 'production', resourceKind: 'flag', serviceKindConfigurationId: '1ef45a85-218f-4428-a8b2-a97e5f56c258' }, 'serviceKindConfigurationId', /no custom approval integration/],
    ['required with the required tags the environment has', { environmentKey: 'test', resourceKind: 'flag', required: true }, 'requiredApprovalTags', /must be empty when required is true/],
  ])('PATCH: %s is a 400 naming it; nothing is written', async (_what, body, attribute, reason) => {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(path, body, BETA)))).toBe(false);
    expectError(res!, 400, attribute, reason);
  });

  it('PATCH: an unknown project or environment is a 404 naming it; nothing is written', async () => {
    for (const [url, body, what] of [
      ['/api/v2/approval-requests/projects/nope/settings', { environmentKey: 'production', resourceKind: 'flag', required: true }, 'Project "nope"'],
      [path, { environmentKey: 'staging', resourceKind: 'flag', required: true }, 'Environment "staging" in project'],
    ] as const) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(url, body, BETA)))).toBe(false);
      expectError(res!, 404, what, /not found/);
    }
  });
});
