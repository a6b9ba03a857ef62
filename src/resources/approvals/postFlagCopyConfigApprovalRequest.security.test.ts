// Who may ask for and apply a copy: a token is needed (401), a reader may not ask (403); a custom role asks with
// createApprovalRequest on the flag in the target environment, and applies (on the flag-scoped and account-wide
// routes alike) with applyApprovalRequest there plus what copyFeatureFlag asks: copyFlagConfigFrom on the source's
// flag and copyFlagConfigTo on the target's. Nothing refused is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, memberWithToken, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('postFlagCopyConfigApprovalRequest: security', () => {
  let s: TestServer;
  let w: World;
  let reviewer: string;
  const requests = () => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/test/approval-requests`;
  const copyPath = () => `${requests()}-flag-copy`;
  const body = { description: 'Promote', source: { key: 'production' } };
  /** A token whose inline role views every project and allows each `[environment, actions]` on its flags. */
  const roleToken = async (grants: [string, string[]][]): Promise<string> => {
    const inlineRole = [{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }, ...grants.map(([env, actions]) => ({ effect: 'allow', resources: [`proj/*:env/${env}:flag/*`], actions }))];
    const res = await s.post('/api/v2/tokens', { name: JSON.stringify(grants), inlineRole });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.token;
  };
  const approvedCopy = async (): Promise<string> => {
    const id = (await s.post(copyPath(), body)).body._id;
    expect((await s.post(`${requests()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer })).status).toBe(200);
    return id;
  };

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    reviewer = (await memberWithToken(s, 'reviewer@acme.com')).token;
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>, status: number): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
    return res!;
  }

  it('401 without a token or with an unknown one; 403 for a reader', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      expect((await refused(() => s.post(copyPath(), body, { token }), 401)).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    }
    expect((await refused(() => s.post(copyPath(), body, { token: s.tokens.reader }), 403)).body.code).toBe('forbidden');
  });

  it('a custom role asks with createApprovalRequest on the flag in the target environment, not in the source', async () => {
    const inSource = await roleToken([['production', ['createApprovalRequest']]]);
    const res = await refused(() => s.post(copyPath(), body, { token: inSource }), 403);
    expect(res.body.message).toContain(`createApprovalRequest on proj/${w.project}:env/test:flag/${w.flag}`);
    const inTarget = await roleToken([['test', ['createApprovalRequest']]]);
    expect((await s.post(copyPath(), body, { token: inTarget })).status).toBe(201);
  });

  it('applying needs copyFlagConfigFrom on the source and copyFlagConfigTo on the target besides applyApprovalRequest, on both apply routes', async () => {
    const applyOnly = await roleToken([['test', ['applyApprovalRequest']]]);
    const id = await approvedCopy();
    const from = await refused(() => s.post(`${requests()}/${id}/apply`, {}, { token: applyOnly }), 403);
    expect(from.body.message).toContain(`copyFlagConfigFrom on proj/${w.project}:env/production:flag/${w.flag}`);
    const withFrom = await roleToken([['test', ['applyApprovalRequest']], ['production', ['copyFlagConfigFrom']]]);
    const to = await refused(() => s.post(`/api/v2/approval-requests/${id}/apply`, {}, { token: withFrom }), 403);
    expect(to.body.message).toContain(`copyFlagConfigTo on proj/${w.project}:env/test:flag/${w.flag}`);
    const copier = await roleToken([['test', ['applyApprovalRequest', 'copyFlagConfigTo']], ['production', ['copyFlagConfigFrom']]]);
    expect((await s.post(`${requests()}/${id}/apply`, {}, { token: copier })).body).toMatchObject({ status: 'completed' });
    const other = await approvedCopy();
    expect((await s.post(`/api/v2/approval-requests/${other}/apply`, {}, { token: copier })).body).toMatchObject({ status: 'completed' });
  });
});
