import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchEnvironment: happy path', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/test';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('changes the settings and answers the Environment', async () => {
    const before = (await s.get(path)).body;
    const res = await s.patch(path, [
      { op: 'replace', path: '/name', value: 'QA' },
      { op: 'replace', path: '/color', value: '00FF00' },
      { op: 'replace', path: '/defaultTtl', value: 5 },
      { op: 'replace', path: '/secureMode', value: true },
      { op: 'replace', path: '/requireComments', value: true },
      { op: 'add', path: '/tags/-', value: 'qa' },
      { op: 'replace', path: '/critical', value: true },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'test', name: 'QA', color: '00FF00', defaultTtl: 5, secureMode: true, requireComments: true, tags: ['qa'], critical: true });
    expect(res.body.apiKey).toBe(before.apiKey);
    expect((await s.get(path)).body).toEqual(res.body);
  });

  it('a patch that changes nothing writes nothing', async () => {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(path, [{ op: 'replace', path: '/name', value: 'QA' }])))).toBe(false);
    expect(res!.status).toBe(200);
  });
});

describe('patchEnvironment: approvalSettings', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/production';
  const DEFAULTS = {
    required: false,
    bypassApprovalsForPendingChanges: false,
    minNumApprovals: 1,
    canReviewOwnRequest: false,
    canApplyDeclinedChanges: true,
    autoApplyApprovedChanges: false,
    serviceKind: 'launchdarkly',
    serviceConfig: {},
    requiredApprovalTags: [],
  };
  // What the Terraform provider sends for an environment's approval_settings block.
  const terraform = (settings: { required: boolean; canReviewOwnRequest: boolean; minNumApprovals: number; canApplyDeclinedChanges: boolean; requiredApprovalTags: string[] | null; serviceConfig: object | null }) => [
    { op: 'replace', path: '/approvalSettings/required', value: settings.required },
    { op: 'replace', path: '/approvalSettings/canReviewOwnRequest', value: settings.canReviewOwnRequest },
    { op: 'replace', path: '/approvalSettings/minNumApprovals', value: settings.minNumApprovals },
    { op: 'replace', path: '/approvalSettings/canApplyDeclinedChanges', value: settings.canApplyDeclinedChanges },
    { op: 'replace', path: '/approvalSettings/requiredApprovalTags', value: settings.requiredApprovalTags },
    { op: 'replace', path: '/approvalSettings/serviceKind', value: 'launchdarkly' },
    { op: 'replace', path: '/approvalSettings/serviceConfig', value: settings.serviceConfig },
    { op: 'replace', path: '/approvalSettings/autoApplyApprovedChanges', value: false },
  ];
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('a new environment has the default settings, wherever environments are shown', async () => {
    expect((await s.get(path)).body.approvalSettings).toEqual(DEFAULTS);
    expect((await s.get('/api/v2/projects/shop/environments')).body.items.map((env: { approvalSettings: unknown }) => env.approvalSettings)).toEqual([DEFAULTS, DEFAULTS]);
    expect((await s.get('/api/v2/projects/shop?expand=environments')).body.environments.items[0].approvalSettings).toEqual(DEFAULTS);
  });

  it("takes Terraform's sequence (null for an empty list or map), and GET shows the result", async () => {
    const res = await s.patch(path, terraform({ required: true, canReviewOwnRequest: true, minNumApprovals: 2, canApplyDeclinedChanges: false, requiredApprovalTags: null, serviceConfig: null }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const wanted = { ...DEFAULTS, required: true, canReviewOwnRequest: true, minNumApprovals: 2, canApplyDeclinedChanges: false };
    expect(res.body.approvalSettings).toEqual(wanted);
    expect((await s.get(path)).body.approvalSettings).toEqual(wanted);
    const audit = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    expect(audit.shortDescription).toBe('updated the environment Production');

    const tagged = await s.patch(path, terraform({ required: false, canReviewOwnRequest: false, minNumApprovals: 3, canApplyDeclinedChanges: true, requiredApprovalTags: ['needs-review'], serviceConfig: {} }));
    expect(tagged.status, JSON.stringify(tagged.body)).toBe(200);
    expect((await s.get(path)).body.approvalSettings).toEqual({ ...DEFAULTS, minNumApprovals: 3, requiredApprovalTags: ['needs-review'] });
  });

  it("takes the provider's framework resources' sequence, whose serviceKind is \"\" when the configuration leaves service_kind out", async () => {
    const framework = terraform({ required: true, canReviewOwnRequest: false, minNumApprovals: 3, canApplyDeclinedChanges: true, requiredApprovalTags: null, serviceConfig: {} }).map((op) =>
      op.path === '/approvalSettings/serviceKind' ? { ...op, value: '' } : op,
    );
    const res = await s.patch(path, framework);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.approvalSettings).toEqual({ ...DEFAULTS, required: true, minNumApprovals: 3 });
    expect((await s.get(path)).body.approvalSettings).toEqual({ ...DEFAULTS, required: true, minNumApprovals: 3 });
    const other = await s.patch(path, [{ op: 'replace', path: '/approvalSettings/serviceKind', value: 'servicenow' }]);
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/approvalSettings.serviceKind: must be "launchdarkly"/);
  });

  it('removing required and requiredApprovalTags turns approvals off; the other settings stay', async () => {
    await s.patch(path, [{ op: 'replace', path: '/approvalSettings/requiredApprovalTags', value: [] }, { op: 'replace', path: '/approvalSettings/required', value: true }]);
    const res = await s.patch(path, [
      { op: 'remove', path: '/approvalSettings/required' },
      { op: 'remove', path: '/approvalSettings/requiredApprovalTags' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.approvalSettings).toEqual({ ...DEFAULTS, minNumApprovals: 3 });
    expect((await s.get(path)).body.approvalSettings).toEqual({ ...DEFAULTS, minNumApprovals: 3 });
  });

  it("AI Config approval settings as Terraform's approval_settings (resource_kind \"aiconfig\") sends them: kept and shown, then removed", async () => {
    const base = '/resourceApprovalSettings/aiconfig';
    const before = (await s.get(path)).body;
    const on = await s.patch(path, {
      comment: 'Terraform',
      patch: [
        { op: 'replace', path: `${base}/required`, value: true },
        { op: 'replace', path: `${base}/canReviewOwnRequest`, value: false },
        { op: 'replace', path: `${base}/minNumApprovals`, value: 2 },
        { op: 'replace', path: `${base}/canApplyDeclinedChanges`, value: true },
        { op: 'replace', path: `${base}/requiredApprovalTags`, value: null },
      ],
    });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const wanted = { ...DEFAULTS, required: true, minNumApprovals: 2 };
    expect(on.body.resourceApprovalSettings).toEqual({ segment: before.resourceApprovalSettings.segment, aiconfig: wanted });
    expect((await s.get(path)).body.resourceApprovalSettings.aiconfig).toEqual(wanted);
    // Flags' settings are not touched.
    expect(on.body.approvalSettings).toEqual(before.approvalSettings);
    // Removing the block from the configuration.
    const off = await s.patch(path, [{ op: 'remove', path: `${base}/required` }, { op: 'remove', path: `${base}/requiredApprovalTags` }]);
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.resourceApprovalSettings.aiconfig).toEqual({ ...DEFAULTS, minNumApprovals: 2 });
  });

  it('the whole object can be replaced (members left out take their defaults) or removed', async () => {
    const replaced = await s.patch(path, [{ op: 'replace', path: '/approvalSettings', value: { required: true, bypassApprovalsForPendingChanges: true } }]);
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body.approvalSettings).toEqual({ ...DEFAULTS, required: true, bypassApprovalsForPendingChanges: true });
    const removed = await s.patch(path, [{ op: 'remove', path: '/approvalSettings' }]);
    expect(removed.body.approvalSettings).toEqual(DEFAULTS);
  });

  it('a clone copies its source\'s approval settings; a creation body cannot set them', async () => {
    await s.patch(path, [{ op: 'replace', path: '/approvalSettings/required', value: true }, { op: 'replace', path: '/approvalSettings/minNumApprovals', value: 4 }]);
    const clone = await s.post('/api/v2/projects/shop/environments', { name: 'Staging', key: 'staging', color: 'AAAAAA', source: { key: 'production' } });
    expect(clone.status).toBe(201);
    expect(clone.body.approvalSettings).toEqual({ ...DEFAULTS, required: true, minNumApprovals: 4 });
    expect((await s.get('/api/v2/projects/shop/environments/staging')).body.approvalSettings).toEqual({ ...DEFAULTS, required: true, minNumApprovals: 4 });
    const fresh = await s.post('/api/v2/projects/shop/environments', { name: 'Dev', key: 'dev', color: 'AAAAAA', approvalSettings: { required: true } });
    expect(fresh.status).toBe(201);
    expect(fresh.body.approvalSettings).toEqual(DEFAULTS);
    const project = await s.post('/api/v2/projects', { name: 'Mall', key: 'mall', environments: [{ name: 'Live', key: 'live', color: 'AAAAAA', approvalSettings: { required: true } }] });
    expect(project.status).toBe(201);
    expect(project.body.environments[0].approvalSettings).toEqual(DEFAULTS);
  });

  it('a patch that leaves the settings as they are writes nothing and audits nothing', async () => {
    const latest = async () => (await s.get('/api/v2/auditlog?limit=1')).body.items[0]._id;
    const before = await latest();
    expect(before).toEqual(expect.any(String));
    for (const [env, patch] of [
      // Stored settings, set to what they are.
      ['production', [{ op: 'replace', path: '/approvalSettings/minNumApprovals', value: 4 }, { op: 'replace', path: '/approvalSettings/serviceConfig', value: null }]],
      // No stored settings: the defaults, spelled out.
      ['test', terraform({ required: false, canReviewOwnRequest: false, minNumApprovals: 1, canApplyDeclinedChanges: true, requiredApprovalTags: null, serviceConfig: null })],
      ['test', [{ op: 'remove', path: '/approvalSettings/required' }, { op: 'remove', path: '/approvalSettings/requiredApprovalTags' }]],
    ] as [string, unknown][]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(`/api/v2/projects/shop/environments/${env}`, patch)))).toBe(false);
      expect(res!.status, JSON.stringify(res!.body)).toBe(200);
    }
    expect(await latest()).toBe(before);
  });
});
