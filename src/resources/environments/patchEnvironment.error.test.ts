import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchEnvironment: errors', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/test';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('400 naming the field for read-only keys and invalid values; nothing changes', async () => {
    for (const [patch, attribute] of [
      [[{ op: 'replace', path: '/apiKey', value: 'sdk-mine' }], '/apiKey'],
      [[{ op: 'replace', path: '/key', value: 'qa' }], '/key'],
      [[{ op: 'replace', path: '/color', value: 'green' }], 'color'],
      [[{ op: 'replace', path: '/defaultTtl', value: 61 }], 'defaultTtl'],
      [[{ op: 'replace', path: '/secureMode', value: 'yes' }], 'secureMode'],
      [[{ op: 'replace', path: '/resourceApprovalSettings', value: { experiment: {} } }], 'resourceApprovalSettings.experiment'],
      [[{ op: 'replace', path: '/resourceApprovalSettings/aiconfig/minNumApprovals', value: 6 }], 'resourceApprovalSettings.aiconfig.minNumApprovals'],
      [[{ op: 'replace', path: '/resourceApprovalSettings/aiconfig/required', value: true }, { op: 'replace', path: '/resourceApprovalSettings/aiconfig/requiredApprovalTags', value: ['x'] }], 'resourceApprovalSettings.aiconfig.requiredApprovalTags'],
      [[{ op: 'replace', path: '/resourceApprovalSettings', value: [] }], 'resourceApprovalSettings'],
      [[{ op: 'replace', path: '/resourceApprovalSettings/segment/minNumApprovals', value: 6 }], 'resourceApprovalSettings.segment.minNumApprovals'],
      [[{ op: 'replace', path: '/resourceApprovalSettings/segment/serviceKind', value: 'servicenow' }], 'resourceApprovalSettings.segment.serviceKind'],
    ] as [unknown, string][]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(path, patch)))).toBe(false);
      expect(res!.status, JSON.stringify(patch)).toBe(400);
      expect(res!.body.errors.map((e: { attribute: string }) => e.attribute)).toContain(attribute);
    }
  });

  it('400 naming the approval setting at fault, with the reason; nothing changes', async () => {
    const set = (member: string, value: unknown) => ({ op: 'replace', path: `/approvalSettings/${member}`, value });
    for (const [patch, attribute, reason] of [
      [[set('required', 'yes')], 'approvalSettings.required', 'must be a boolean'],
      [[set('minNumApprovals', 0)], 'approvalSettings.minNumApprovals', 'must be >= 1'],
      [[set('minNumApprovals', 6)], 'approvalSettings.minNumApprovals', 'must be <= 5'],
      [[set('minNumApprovals', 2.5)], 'approvalSettings.minNumApprovals', 'must be an integer'],
      [[set('canReviewOwnRequest', 'no')], 'approvalSettings.canReviewOwnRequest', 'must be a boolean'],
      [[set('canApplyDeclinedChanges', 1)], 'approvalSettings.canApplyDeclinedChanges', 'must be a boolean'],
      [[set('bypassApprovalsForPendingChanges', 'true')], 'approvalSettings.bypassApprovalsForPendingChanges', 'must be a boolean'],
      [[set('autoApplyApprovedChanges', 'false')], 'approvalSettings.autoApplyApprovedChanges', 'must be a boolean'],
      [[set('autoApplyApprovedChanges', true)], 'approvalSettings.autoApplyApprovedChanges', 'only by approval services other than "launchdarkly"'],
      [[set('requiredApprovalTags', 'needs-review')], 'approvalSettings.requiredApprovalTags', 'must be an array'],
      [[set('requiredApprovalTags', [''])], 'approvalSettings.requiredApprovalTags[0]', 'must not be empty'],
      [[set('requiredApprovalTags', [7])], 'approvalSettings.requiredApprovalTags[0]', 'must be a string'],
      [[set('serviceKind', 'servicenow')], 'approvalSettings.serviceKind', 'iterlab has no ServiceNow or other approval integration'],
      [[set('serviceKind', 1)], 'approvalSettings.serviceKind', 'must be a string'],
      [[set('serviceConfig', { template: 'x' })], 'approvalSettings.serviceConfig', 'must be empty'],
      [[set('serviceConfig', [])], 'approvalSettings.serviceConfig', 'must be an object'],
      [[set('required', true), set('requiredApprovalTags', ['needs-review'])], 'approvalSettings.requiredApprovalTags', 'not both'],
      [[{ op: 'add', path: '/approvalSettings/reviewers', value: ['ada'] }], 'approvalSettings.reviewers', 'is not an approval setting'],
      [[{ op: 'add', path: '/approvalSettings/serviceKindConfigurationId', value: 'abc' }], 'approvalSettings.serviceKindConfigurationId', 'no custom approval integration'],
      [[{ op: 'replace', path: '/approvalSettings', value: 'on' }], 'approvalSettings', 'must be an object'],
    ] as [unknown, string, string][]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(path, patch)))).toBe(false);
      expect(res!.status, JSON.stringify(patch)).toBe(400);
      expect(res!.body.code).toBe('invalid_request');
      expect(res!.body.errors, JSON.stringify(patch)).toEqual([{ attribute, reason: expect.stringContaining(reason) }]);
      expect(res!.body.message).toContain(attribute);
    }
  });

  it('400 when required approvals meet the tags already stored (either all flags or tagged ones, not both)', async () => {
    expect((await s.patch(path, [{ op: 'replace', path: '/approvalSettings/requiredApprovalTags', value: ['needs-review'] }])).status).toBe(200);
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(path, [{ op: 'replace', path: '/approvalSettings/required', value: true }])))).toBe(false);
    expect(res!.status).toBe(400);
    expect(res!.body.errors.map((e: { attribute: string }) => e.attribute)).toEqual(['approvalSettings.requiredApprovalTags']);
  });

  it('409 when a test operation fails; 404 naming the project or environment', async () => {
    expect((await s.patch(path, [{ op: 'test', path: '/name', value: 'Nope' }])).body.code).toBe('optimistic_locking_error');
    expect((await s.patch('/api/v2/projects/shop/environments/nope', [])).body.message).toContain('"nope"');
    expect((await s.patch('/api/v2/projects/nope/environments/test', [])).status).toBe(404);
  });
});
