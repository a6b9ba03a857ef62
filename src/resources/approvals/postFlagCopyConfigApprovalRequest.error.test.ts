// Copy requests refused: each body mistake a 400 naming its field, a missing project, flag or environment a 404, a
// source version other than the flag's there a 409 (when asked, and when applied: the request then fails), and the
// approval settings (required approvals, declines, self-review) as for the flag's other requests. Nothing refused is
// written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, memberWithToken, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('postFlagCopyConfigApprovalRequest: errors', () => {
  let s: TestServer;
  let w: World;
  let reviewer: string;
  const requests = (env = 'test', flag = w.flag, project = w.project) => `/api/v2/projects/${project}/flags/${flag}/environments/${env}/approval-requests`;
  const copyPath = (env = 'test', flag = w.flag, project = w.project) => `${requests(env, flag, project)}-flag-copy`;
  const valid = { description: 'Promote', source: { key: 'production' } };
  const settings = async (values: Record<string, unknown>) => {
    const res = await s.patch(`/api/v2/projects/${w.project}/environments/test`, Object.entries(values).map(([k, value]) => ({ op: 'replace', path: `/approvalSettings/${k}`, value })));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    reviewer = (await memberWithToken(s, 'reviewer@acme.com')).token;
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    return res!;
  }

  async function expect400(body: unknown, attribute: string, reason: RegExp): Promise<void> {
    const res = await refused(() => s.post(copyPath(), body));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors, JSON.stringify(res.body)).toContainEqual({ attribute, reason: expect.stringMatching(reason) });
    expect(res.body.message).toContain(attribute);
  }

  it('400 naming the field for bodies that are not a CreateCopyFlagConfigApprovalRequestRequest', async () => {
    await expect400([valid], 'body', /must be an object/);
    await expect400({ source: { key: 'production' } }, 'description', /non-empty string/);
    await expect400({ ...valid, description: ' ' }, 'description', /non-empty string/);
    await expect400({ description: 'Promote' }, 'source', /must be present/);
    await expect400({ ...valid, source: 'production' }, 'source', /must be an object/);
    await expect400({ ...valid, source: {} }, 'source.key', /must be present/);
    await expect400({ ...valid, source: { key: '' } }, 'source.key', /must not be empty/);
    await expect400({ ...valid, source: { key: 'production', version: '3' } }, 'source.version', /integer/);
    await expect400({ ...valid, includedActions: ['updateOn', 'updateFlagConfigMigrationSettings'] }, 'includedActions[1]', /must be one of "updateOn"/);
    await expect400({ ...valid, includedActions: [] }, 'includedActions', /at least 1/);
    await expect400({ ...valid, excludedActions: 'updateOn' }, 'excludedActions', /array/);
    await expect400({ ...valid, includedActions: ['updateOn'], excludedActions: ['updateRules'] }, 'excludedActions', /together with includedActions/);
    await expect400({ ...valid, comment: 7 }, 'comment', /string/);
    await expect400({ ...valid, notifyMemberIds: ['nobody'] }, 'notifyMemberIds[0]', /no member with _id "nobody"/);
    await expect400({ ...valid, notifyTeamKeys: ['ghosts'] }, 'notifyTeamKeys[0]', /no team with the key "ghosts"/);
    for (const field of ['instructions', 'executionDate', 'target']) await expect400({ ...valid, [field]: [] }, field, /is not a field of an approval request/);
  });

  it('400 on source.key for the request’s own environment, or one the project does not have', async () => {
    await expect400({ ...valid, source: { key: 'test' } }, 'source.key', /another environment than the one the request is in \("test"/);
    await expect400({ ...valid, source: { key: 'moon' } }, 'source.key', /^there is no environment "moon" in project "proj"$/);
  });

  it('404 naming the project, the flag or the target environment', async () => {
    for (const [path, message] of [
      [copyPath('test', w.flag, 'nope'), 'Project "nope" not found'],
      [copyPath('test', 'ghost'), `Flag "ghost" in project "${w.project}" not found`],
      [copyPath('moon'), /moon/],
    ] as const) {
      const res = await refused(() => s.post(path, valid));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(res.body.message).toMatch(message);
    }
  });

  it('409 when source.version is not the flag’s version in the source environment', async () => {
    const res = await refused(() => s.post(copyPath(), { ...valid, source: { key: 'production', version: w.version + 1 } }));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      code: 'optimistic_locking_error',
      message: `Conflict. Optimistic lock error: the flag's version in environment "production" is ${w.version}, not ${w.version + 1} (source.version)`,
    });
  });

  it('applied after the source moved on from source.version: 409, the request failed, the target as it was', async () => {
    const version = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.version;
    const id = (await s.post(copyPath(), { ...valid, source: { key: 'production', version } })).body._id;
    expect((await s.post(`${requests()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer })).status).toBe(200);
    expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/offVariation', value: 0 }])).status).toBe(200);
    const before = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.test;
    const res = await s.post(`${requests()}/${id}/apply`, {});
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      code: 'optimistic_locking_error',
      message: `The approval request could not be applied, and is now failed: Conflict. Optimistic lock error: the flag's version in environment "production" is ${version + 1}, not ${version} (source.version)`,
    });
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.test).toEqual(before);
    expect((await s.get(`${requests()}/${id}`)).body).toMatchObject({ status: 'failed', source: { key: 'production', version } });
  });

  it('applied after its source environment was deleted: 400 on source.key, the request failed', async () => {
    expect((await s.post(`/api/v2/projects/${w.project}/environments`, { key: 'qa', name: 'QA', color: '0000aa' })).status).toBe(201);
    const id = (await s.post(copyPath(), { ...valid, source: { key: 'qa' } })).body._id;
    expect((await s.post(`${requests()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer })).status).toBe(200);
    expect((await s.del(`/api/v2/projects/${w.project}/environments/qa`)).status).toBe(204);
    const res = await s.post(`${requests()}/${id}/apply`, {});
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'source.key', reason: `there is no environment "qa" in project "${w.project}"` }]);
    expect((await s.get(`${requests()}/${id}`)).body.status).toBe('failed');
  });

  it('approval settings hold as for any flag request: no self-review, minNumApprovals, no applying a decline unless allowed', async () => {
    const id = (await s.post(copyPath(), valid)).body._id;
    const own = await refused(() => s.post(`${requests()}/${id}/reviews`, { kind: 'approve' }));
    expect(own.status).toBe(403);
    expect(own.body.message).toContain('canReviewOwnRequest');
    await settings({ minNumApprovals: 2, canApplyDeclinedChanges: false });
    expect((await s.post(`${requests()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer })).body.reviewStatus).toBe('pending');
    const early = await refused(() => s.post(`${requests()}/${id}/apply`, {}));
    expect(early.status).toBe(400);
    expect(early.body.message).toContain('minNumApprovals');
    const other = await memberWithToken(s, 'decliner@acme.com');
    expect((await s.post(`${requests()}/${id}/reviews`, { kind: 'decline' }, { token: other.token })).body.reviewStatus).toBe('declined');
    await settings({ minNumApprovals: 1 });
    const declined = await refused(() => s.post(`${requests()}/${id}/apply`, {}));
    expect(declined.status).toBe(400);
    expect(declined.body.message).toContain('canApplyDeclinedChanges');
    await settings({ canApplyDeclinedChanges: true });
  });
});
