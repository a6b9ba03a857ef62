// Segment approval requests: each mistake is a 4xx naming the field (or the missing resource) and its problem, and a
// refused request writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('segment approval requests: errors', () => {
  let s: TestServer;
  let w: World;
  const wide = '/api/v2/approval-requests';
  const resourceId = (env = 'production', segment = 'beta', project = w.project) => `proj/${project}:env/${env}:segment/${segment}`;
  const good = { description: 'Add ada', instructions: [{ kind: 'addIncludedUsers', values: ['ada'] }] };

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await s.post(`/api/v2/segments/${w.project}/production`, { key: 'beta', name: 'Beta' });
  });
  afterAll(() => s.close());

  async function refused(body: unknown, status: number, text: string): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.post(wide, body)))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
    expect(res!.body.code).toBe(status === 404 ? 'not_found' : 'invalid_request');
    expect(res!.body.message).toContain(text);
    return res!;
  }

  it.each([
    ['no instructions', { description: 'x' }, 'instructions: must be a non-empty array of segment instructions'],
    ['a flag instruction', { description: 'x', instructions: [{ kind: 'turnFlagOn' }] }, 'instructions[0]'],
    ['an instruction missing its values', { description: 'x', instructions: [{ kind: 'addIncludedUsers' }] }, 'instructions[0].values'],
    ['no description', { instructions: good.instructions }, 'description: must be a non-empty string'],
    ['an execution date', { ...good, executionDate: Date.now() + 60_000 }, 'executionDate: is not supported for a segment'],
    ['a reviewer who is no member', { ...good, notifyMemberIds: ['nobody'] }, 'notifyMemberIds[0]'],
    ['an unknown field', { ...good, flagKey: 'x' }, 'flagKey: is not a field of an approval request'],
    ['a rule that is not there', { description: 'x', instructions: [{ kind: 'updateRuleDescription', ruleId: 'no-such-rule', description: 'y' }] }, 'no-such-rule'],
  ])('%s: 400 naming it; nothing written', async (_what, body, text) => {
    await refused({ resourceId: resourceId(), ...body }, 400, text);
  });

  it('an unknown project, environment or segment: 404 naming it; nothing written', async () => {
    await refused({ resourceId: resourceId('production', 'beta', 'nope'), ...good }, 404, 'Project "nope"');
    await refused({ resourceId: resourceId('nope'), ...good }, 404, 'Environment "nope"');
    await refused({ resourceId: resourceId('production', 'nope'), ...good }, 404, 'Segment "nope"');
  });

  it('applying a pending, unapproved request: 400 naming minNumApprovals; reviewing with an unknown kind: 400 naming kind', async () => {
    const id = (await s.post(wide, { resourceId: resourceId(), ...good })).body._id;
    for (const [path, body, text] of [
      [`${wide}/${id}/apply`, {}, 'minNumApprovals'],
      [`${wide}/${id}/reviews`, { kind: 'love' }, 'kind'],
      [`${wide}/${id}/apply`, { comment: 5 }, 'comment'],
    ] as const) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.post(path, body)))).toBe(false);
      expect(res!.status).toBe(400);
      expect(res!.body.message).toContain(text);
    }
    // The requestor may not approve their own, unless the segment settings say so.
    const own = await s.post(`${wide}/${id}/reviews`, { kind: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.message).toContain('canReviewOwnRequest');
  });
});
