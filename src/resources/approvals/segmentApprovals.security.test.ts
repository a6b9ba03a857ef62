// Segment approval requests: a reader may neither ask, review, apply nor delete (403); a custom role needs the
// approval actions on the segment (createApprovalRequest, reviewApprovalRequest, applyApprovalRequest,
// updateApprovalRequest, deleteApprovalRequest), flags' do not reach segments; bypassRequiredApproval on the segment
// lets a custom role change it where approval is required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, memberWithToken, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('segment approval requests: security', () => {
  let s: TestServer;
  let w: World;
  let reviewer: string;
  const wide = '/api/v2/approval-requests';
  const segmentPath = () => `/api/v2/segments/${w.project}/production/beta`;
  const body = () => ({ resourceId: `proj/${w.project}:env/production:segment/beta`, description: 'Add ada', instructions: [{ kind: 'addIncludedUsers', values: ['ada'] }] });
  const ask = async (): Promise<string> => (await s.post(wide, body())).body._id;
  const roleToken = async (actions: string[], resource = `proj/*:env/production:segment/*`): Promise<string> => {
    const inlineRole = [{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }, { effect: 'allow', resources: [resource], actions }];
    const res = await s.post('/api/v2/tokens', { name: `${actions.join()} on ${resource}`, inlineRole });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.token;
  };
  async function refused(send: () => Promise<Response>, what: string): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send())), what).toBe(false);
    expect(res!.status, `${what}: ${JSON.stringify(res!.body)}`).toBe(403);
    return res!;
  }

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await s.post(`/api/v2/segments/${w.project}/production`, { key: 'beta', name: 'Beta' });
    reviewer = (await memberWithToken(s, 'reviewer@example.com')).token;
  });
  afterAll(() => s.close());

  it('a reader may read requests but not ask, review, change, apply or delete one', async () => {
    const id = await ask();
    const token = s.tokens.reader;
    expect((await s.get(`${wide}/${id}`, { token })).status).toBe(200);
    await refused(() => s.post(wide, body(), { token }), 'ask');
    await refused(() => s.post(`${wide}/${id}/reviews`, { kind: 'approve' }, { token }), 'review');
    await refused(() => s.patch(`${wide}/${id}`, { instructions: [{ kind: 'updateDescription', value: 'x' }] }, { token }), 'change');
    await refused(() => s.post(`${wide}/${id}/apply`, {}, { token }), 'apply');
    await refused(() => s.del(`${wide}/${id}`, { token }), 'delete');
  });

  it('custom roles: each action on the segment, not the flag actions, allows its route', async () => {
    const onFlags = await roleToken(['createApprovalRequest', 'reviewApprovalRequest', 'applyApprovalRequest', 'deleteApprovalRequest'], 'proj/*:env/production:flag/*');
    const res = await refused(() => s.post(wide, body(), { token: onFlags }), 'flag actions');
    expect(res.body.message).toContain(`proj/${w.project}:env/production:segment/beta`);
    const id = await ask();
    await refused(() => s.post(`${wide}/${id}/reviews`, { kind: 'approve' }, { token: onFlags }), 'review with flag actions');

    expect((await s.post(wide, body(), { token: await roleToken(['createApprovalRequest']) })).status).toBe(201);
    expect((await s.post(`${wide}/${id}/reviews`, { kind: 'comment', comment: 'hm' }, { token: await roleToken(['reviewApprovalRequest']) })).status).toBe(200);
    expect((await s.patch(`${wide}/${id}`, { instructions: [{ kind: 'updateDescription', value: 'x' }] }, { token: await roleToken(['updateApprovalRequest']) })).status).toBe(200);
    await s.post(`${wide}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
    const reviewOnly = await roleToken(['reviewApprovalRequest']);
    await refused(() => s.post(`${wide}/${id}/apply`, {}, { token: reviewOnly }), 'apply without applyApprovalRequest');
    expect((await s.post(`${wide}/${id}/apply`, {}, { token: await roleToken(['applyApprovalRequest']) })).status).toBe(200);
    expect((await s.del(`${wide}/${id}`, { token: await roleToken(['deleteApprovalRequest']) })).status).toBe(204);
    // An unknown id is the same 403 to a role that does not reach every segment.
    expect((await s.get(`${wide}/000000000000000000000000`, { token: onFlags })).status).toBe(404);
    expect((await s.del(`${wide}/000000000000000000000000`, { token: onFlags })).status).toBe(403);
  });

  it('bypassRequiredApproval or bypassRequiredSegmentApproval on the segment lets a custom role change it where approval is required; updateIncluded alone does not', async () => {
    await s.patch(`/api/v2/projects/${w.project}/environments/production`, [{ op: 'replace', path: '/resourceApprovalSettings/segment/required', value: true }]);
    const patch = (user: string) => ({ environmentKey: 'production', instructions: [{ kind: 'addIncludedUsers', values: [user] }] });
    const plain = await roleToken(['updateIncluded']);
    expect((await s.patch(segmentPath(), patch('bob'), { token: plain })).status).toBe(403);
    expect((await s.patch(segmentPath(), patch('bob'), { token: await roleToken(['updateIncluded', 'bypassRequiredApproval']) })).status).toBe(200);
    expect((await s.patch(segmentPath(), patch('cy'), { token: await roleToken(['updateIncluded', 'bypassRequiredSegmentApproval']) })).status).toBe(200);
  });
});
