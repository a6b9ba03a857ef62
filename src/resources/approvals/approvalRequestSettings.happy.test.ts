// getApprovalRequestSettings and patchApprovalRequestSettings (beta): flags' settings by environment are the
// environments' approvalSettings, segments' their resourceApprovalSettings.segment, read and changed through either
// route; `_default` on expand; a change is the environment update patchEnvironment records, and the approval gates
// obey it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { DEFAULT_APPROVAL_SETTINGS } from '../environments/approvalSettings.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
// The values themselves are pinned by patchEnvironment.happy.test.ts; here, that both routes show the same ones.
const DEFAULTS = DEFAULT_APPROVAL_SETTINGS;

describe('approval request settings by project: happy path', () => {
  let s: TestServer;
  let w: World;
  let path: string;
  const environment = (key: string) => `/api/v2/projects/${w.project}/environments/${key}`;
  const patch = (body: Record<string, unknown>) => s.patch(path, { resourceKind: 'flag', ...body }, BETA);

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    path = `/api/v2/approval-requests/projects/${w.project}/settings`;
  });
  afterAll(() => s.close());

  it("lists every environment's flag, segment and AI Config settings in the project's order; filters by environment and kind; `_default` on expand", async () => {
    const all = await s.get(path, BETA);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const both = { environments: { production: DEFAULTS, test: DEFAULTS } };
    expect(all.body).toEqual({ flag: both, segment: both, aiconfig: both });
    expect(Object.keys(all.body.flag.environments)).toEqual(['production', 'test']);
    expect((await s.get(`${path}?environmentKey=production&resourceKind=flag`, BETA)).body).toEqual({ flag: { environments: { production: DEFAULTS } } });
    expect((await s.get(`${path}?environmentKey=production&resourceKind=segment`, BETA)).body).toEqual({ segment: { environments: { production: DEFAULTS } } });
    // `strict` names settings iterlab has none of; other values are ignored, as on the other operations with expand.
    const withDefault = { ...both, _default: DEFAULTS };
    expect((await s.get(`${path}?expand=default,strict,other`, BETA)).body).toEqual({ flag: withDefault, segment: withDefault, aiconfig: withDefault });
  });

  it('a PATCH changes the members it gives, answers the project\'s settings, and getEnvironment shows the same', async () => {
    const res = await patch({ environmentKey: 'production', required: true, minNumApprovals: 2, canReviewOwnRequest: true, serviceKindConfigurationId: null, autoApplyApprovedChanges: null });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const wanted = { ...DEFAULTS, required: true, minNumApprovals: 2, canReviewOwnRequest: true };
    const untouched = { environments: { production: DEFAULTS, test: DEFAULTS } };
    expect(res.body).toEqual({ flag: { environments: { production: wanted, test: DEFAULTS } }, segment: untouched, aiconfig: untouched });
    expect((await s.get(environment('production'))).body.approvalSettings).toEqual(wanted);
    expect((await s.get(`${path}?environmentKey=production`, BETA)).body.flag.environments.production).toEqual(wanted);

    // The other way round: patchEnvironment's change is what this route reads.
    await s.patch(environment('test'), [{ op: 'replace', path: '/approvalSettings/requiredApprovalTags', value: ['risky'] }]);
    expect((await s.get(`${path}?environmentKey=test`, BETA)).body.flag.environments.test).toEqual({ ...DEFAULTS, requiredApprovalTags: ['risky'] });
  });

  it("resourceKind segment: as Terraform's segment_approval_settings sends it, kept as the environment's resourceApprovalSettings.segment", async () => {
    // What terraform-provider-launchdarkly sends (segmentApprovalSettingsPatch), to turn on and then off.
    const on = { environmentKey: 'test', resourceKind: 'segment', required: true, canReviewOwnRequest: true, canApplyDeclinedChanges: true, minNumApprovals: 2, requiredApprovalTags: [], autoApplyApprovedChanges: false };
    const res = await s.patch(path, on, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const wanted = { ...DEFAULTS, required: true, canReviewOwnRequest: true, minNumApprovals: 2 };
    expect(res.body.segment.environments.test).toEqual(wanted);
    // What Terraform reads back, and getEnvironment.
    expect((await s.get(`${path}?environmentKey=test&resourceKind=segment`, BETA)).body).toEqual({ segment: { environments: { test: wanted } } });
    const env = (await s.get(environment('test'))).body;
    expect(env.resourceApprovalSettings).toEqual({ segment: wanted, aiconfig: DEFAULTS });
    expect(env.approvalSettings.required).toBe(false);
    expect((await s.patch(path, { environmentKey: 'test', resourceKind: 'segment', required: false, requiredApprovalTags: [] }, BETA)).body.segment.environments.test).toEqual({ ...wanted, required: false });
  });

  it("resourceKind aiconfig: kept as the environment's resourceApprovalSettings.aiconfig, which patchEnvironment shows (and nothing gates on)", async () => {
    const res = await s.patch(path, { environmentKey: 'production', resourceKind: 'aiconfig', required: true, minNumApprovals: 3 }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const wanted = { ...DEFAULTS, required: true, minNumApprovals: 3 };
    expect(res.body.aiconfig.environments.production).toEqual(wanted);
    expect((await s.get(`${path}?environmentKey=production&resourceKind=aiconfig`, BETA)).body).toEqual({ aiconfig: { environments: { production: wanted } } });
    expect((await s.get(environment('production'))).body.resourceApprovalSettings.aiconfig).toEqual(wanted);
    await s.patch(path, { environmentKey: 'production', resourceKind: 'aiconfig', required: false, minNumApprovals: 1 }, BETA);
  });

  it('records the audit entry an environment update records (named updateApprovalSettings, what it changed), before and after, the body as delta', async () => {
    const body = { environmentKey: 'production', resourceKind: 'flag', bypassApprovalsForPendingChanges: true };
    expect((await s.patch(path, body, BETA)).status).toBe(200);
    const listed = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    expect(listed).toMatchObject({ kind: 'environment', shortDescription: 'updated the environment Production', accesses: [{ action: 'updateApprovalSettings', resource: `proj/${w.project}:env/production` }] });
    const entry = (await s.get(`/api/v2/auditlog/${listed._id}`)).body;
    expect(entry.delta).toEqual(body);
    expect(entry.previousVersion.approvalSettings.bypassApprovalsForPendingChanges).toBe(false);
    expect(entry.currentVersion.approvalSettings.bypassApprovalsForPendingChanges).toBe(true);
    expect(entry.currentVersion).toEqual((await s.get(environment('production'))).body);
  });

  it('the approval gate obeys it: required refuses a flag change (405), not required lets it through', async () => {
    const turnOff = () => s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
    expect((await patch({ environmentKey: 'production', required: true })).status).toBe(200);
    const refused = await turnOff();
    expect(refused.status).toBe(405);
    expect(refused.body.message).toMatch(/^Approval is required to make this request/);
    expect((await patch({ environmentKey: 'production', required: false })).status).toBe(200);
    expect((await turnOff()).status).toBe(200);
  });

  it('a PATCH that leaves the settings as they are writes nothing and audits nothing', async () => {
    const current = (await s.get(`${path}?environmentKey=production`, BETA)).body.flag.environments.production;
    for (const body of [{ environmentKey: 'production', minNumApprovals: current.minNumApprovals }, { environmentKey: 'production' }]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await patch(body)))).toBe(false);
      expect(res!.status, JSON.stringify(res!.body)).toBe(200);
    }
  });
});
