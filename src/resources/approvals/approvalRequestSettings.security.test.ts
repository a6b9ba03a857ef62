// Who may read and change approval request settings by project: a token is needed (401), and the beta header
// (403); any token reads, writer and admin tokens change them, as every environment write; a custom role reads with
// viewProject and changes an environment's with updateApprovalSettings on it (patchEnvironment's action for
// approvalSettings), on the environment the body names. Nothing refused is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { 'LD-API-Version': 'beta' };

describe('approval request settings by project: security', () => {
  let s: TestServer;
  let w: World;
  let path: string;
  const body = (environmentKey = 'production') => ({ environmentKey, resourceKind: 'flag', minNumApprovals: 3 });
  const roleToken = async (inlineRole: object[]): Promise<string> => {
    const res = await s.post('/api/v2/tokens', { name: `role ${JSON.stringify(inlineRole).length}`, inlineRole });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.token;
  };
  async function refused(send: () => Promise<Response>, status: number): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
  }

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    path = `/api/v2/approval-requests/projects/${w.project}/settings`;
  });
  afterAll(() => s.close());

  it('no token is a 401; without LD-API-Version: beta, a 403', async () => {
    expect((await s.get(path, { token: null, headers: BETA })).status).toBe(401);
    await refused(() => s.patch(path, body(), { token: null, headers: BETA }), 401);
    const unversioned = await s.get(path);
    expect(unversioned.status).toBe(403);
    expect(unversioned.body.message).toMatch(/beta resource/);
    await refused(() => s.patch(path, body()), 403);
    await refused(() => s.patch(path, body(), { headers: { 'LD-API-Version': '20240415' } }), 403);
  });

  it('readers read but do not change them; writers and admins do, as they change environments', async () => {
    expect((await s.get(path, { token: s.tokens.reader, headers: BETA })).status).toBe(200);
    await refused(() => s.patch(path, body(), { token: s.tokens.reader, headers: BETA }), 403);
    expect((await s.patch(path, body(), { token: s.tokens.writer, headers: BETA })).status).toBe(200);
    expect((await s.patch(path, body(), { token: s.tokens.admin, headers: BETA })).status).toBe(200);
  });

  it('custom roles: viewProject reads; updateApprovalSettings on the environment the body names changes it', async () => {
    const viewer = await roleToken([{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }]);
    expect((await s.get(path, { token: viewer, headers: BETA })).status).toBe(200);
    await refused(() => s.patch(path, body('test'), { token: viewer, headers: BETA }), 403);

    const blind = await roleToken([{ effect: 'allow', resources: ['proj/*:env/*'], actions: ['updateApprovalSettings'] }]);
    expect((await s.get(path, { token: blind, headers: BETA })).status).toBe(403);

    const other = await roleToken([
      { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] },
      { effect: 'allow', resources: ['proj/*:env/*'], actions: ['updateName', 'updateEnvironment'] },
    ]);
    await refused(() => s.patch(path, body('test'), { token: other, headers: BETA }), 403);

    const approver = await roleToken([
      { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] },
      { effect: 'allow', resources: [`proj/${w.project}:env/test`], actions: ['updateApprovalSettings'] },
    ]);
    await refused(() => s.patch(path, body('production'), { token: approver, headers: BETA }), 403);
    const res = await s.patch(path, { ...body('test'), minNumApprovals: 4 }, { token: approver, headers: BETA });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.flag.environments.test.minNumApprovals).toBe(4);
  });
});
