// Approval requests refused: bodies that are not requests (no description, no or unknown instructions, deleteFlag, a
// date gone by, operatingOnId, reviewers who are not members or teams), a resourceId that names no flag, unknown
// project, environment, flag and request; reviews of the wrong kind, of one's own request, of a request no longer
// pending; applying what is not approved enough, and instructions that no longer apply (the request then failed).
// Environments that require approval refuse direct targeting changes with a 405, whatever the way in, and write
// nothing; changes approvals do not guard pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy, digestStore } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { insertToken, mintToken } from '../tokens/tokens.js';

const SEMANTIC = { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } };

describe('approval requests: errors', () => {
  let s: TestServer;
  let w: World;
  const clock = Date.UTC(2026, 11, 5, 12);
  /** Tokens of two members other than the owner (whose the default tokens are): reviewers of the owner's requests. */
  let reviewer: string;
  let second: string;
  const path = (env = 'production', flag = w.flag, project = w.project) => `/api/v2/projects/${project}/flags/${flag}/environments/${env}/approval-requests`;
  const wide = '/api/v2/approval-requests';
  const resourceId = (env = 'production', flag = w.flag) => `proj/${w.project}:env/${env}:flag/${flag}`;
  const flagPath = (flag = w.flag) => `/api/v2/flags/${w.project}/${flag}`;
  const settings = async (values: Record<string, unknown>, env = 'production') => {
    const res = await s.patch(
      `/api/v2/projects/${w.project}/environments/${env}`,
      Object.entries(values).map(([k, value]) => ({ op: 'replace', path: `/approvalSettings/${k}`, value })),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const ask = async (body: Record<string, unknown> = {}, env = 'production'): Promise<string> => {
    const res = await s.post(path(env), { description: 'Turn it off', instructions: [{ kind: 'turnFlagOff' }], ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body._id;
  };
  const status = async (id: string) => (await s.get(`${path()}/${id}`)).body.status as string;

  /** Sends the request and asserts it was refused without writing anything. */
  async function refused(send: () => Promise<Response>): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    return res!;
  }

  /** A 400 (LaunchDarkly's invalid_request) whose errors and message name the attribute. */
  function expect400(res: Response, attribute: string, what = ''): void {
    expect(res.status, `${what} ${JSON.stringify(res.body)}`).toBe(400);
    expect(res.body.code, what).toBe('invalid_request');
    expect(res.body.message, what).toContain(attribute);
    expect(res.body.errors?.map((e: { attribute: string }) => e.attribute), `${what} ${JSON.stringify(res.body)}`).toContain(attribute);
  }

  async function memberToken(email: string): Promise<string> {
    const res = await s.post('/api/v2/members', [{ email, role: 'writer' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const token = mintToken();
    await insertToken(s.store.db, res.body.items[0]._id, token, { name: email, role: 'writer' }, clock);
    return token;
  }

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
    reviewer = await memberToken('reviewer@acme.com');
    second = await memberToken('second@acme.com');
    expect((await s.post('/api/v2/teams', { key: 'ops', name: 'Ops' })).status).toBe(201);
  });
  afterAll(() => s.close());

  describe('creating', () => {
    const good = () => ({ description: 'Turn it off', instructions: [{ kind: 'turnFlagOff' }] });
    const cases = (): [string, Record<string, unknown> | unknown[], string][] => [
      ['no description', { instructions: [{ kind: 'turnFlagOff' }] }, 'description'],
      ['an empty description', { ...good(), description: '  ' }, 'description'],
      ['a description that is not a string', { ...good(), description: 5 }, 'description'],
      ['no instructions', { description: 'x' }, 'instructions'],
      ['empty instructions', { description: 'x', instructions: [] }, 'instructions'],
      ['instructions that are not an array', { description: 'x', instructions: { kind: 'turnFlagOff' } }, 'instructions'],
      ['an unknown instruction kind', { description: 'x', instructions: [{ kind: 'explode' }] }, 'instructions[0].kind'],
      ['deleteFlag', { description: 'x', instructions: [{ kind: 'deleteFlag' }] }, 'instructions[0].kind'],
      ['an instruction without its fields', { description: 'x', instructions: [{ kind: 'turnFlagOn' }, { kind: 'updateOffVariation' }] }, 'instructions[1].variationId'],
      ['an execution date gone by', { ...good(), executionDate: clock - 1 }, 'executionDate'],
      ['an execution date now', { ...good(), executionDate: clock }, 'executionDate'],
      ['an execution date that is not a number', { ...good(), executionDate: '2027-01-01' }, 'executionDate'],
      ['operatingOnId', { ...good(), operatingOnId: '0123456789abcdef01234567' }, 'operatingOnId'],
      ['an integration config', { ...good(), integrationConfig: { ticket: 'x' } }, 'integrationConfig'],
      ['a member id that is no member', { ...good(), notifyMemberIds: ['0123456789abcdef01234567'] }, 'notifyMemberIds[0]'],
      ['member ids that are not an array', { ...good(), notifyMemberIds: 'someone' }, 'notifyMemberIds'],
      ['eleven reviewers', { ...good(), notifyMemberIds: Array.from({ length: 11 }, (_, i) => `0123456789abcdef012345${String(i).padStart(2, '0')}`) }, 'notifyMemberIds'],
      ['a team key that is no team', { ...good(), notifyTeamKeys: ['ops', 'ghosts'] }, 'notifyTeamKeys[1]'],
      ['a comment that is not a string', { ...good(), comment: 5 }, 'comment'],
      ['a JSON Patch array', [{ op: 'replace', path: '/on', value: false }], 'body'],
    ];

    it('postApprovalRequestForFlag: 400 naming the field; nothing written', async () => {
      for (const [what, body, attribute] of cases()) expect400(await refused(() => s.post(path(), body)), attribute, what);
    });

    it('postApprovalRequest: the same 400s, and a resourceId that names no flag or segment in an environment; nothing written', async () => {
      for (const [what, body, attribute] of cases()) {
        if (Array.isArray(body)) continue;
        expect400(await refused(() => s.post(wide, { resourceId: resourceId(), ...body })), attribute, what);
      }
      for (const id of [undefined, 5, '', `proj/${w.project}:env/production`, `proj/${w.project}:flag/${w.flag}`, `${w.project}/production/${w.flag}`, `proj/${w.project}:env/production:flag/${w.flag}:extra/x`]) {
        expect400(await refused(() => s.post(wide, { resourceId: id, ...good() })), 'resourceId', String(id));
      }
      const aiConfig = await refused(() => s.post(wide, { resourceId: `proj/${w.project}:env/production:aiconfig/beta`, ...good() }));
      expect400(aiConfig, 'resourceId', 'AI Config');
      expect(aiConfig.body.message).toContain('flags and segments only');
      expect400(await refused(() => s.post(wide, [good()])), 'resourceId', 'array');
    });

    it('instructions that do not apply to the flag now: 400 naming the rule or variation; nothing written', async () => {
      const rule = await refused(() => s.post(path(), { description: 'x', instructions: [{ kind: 'updateRuleDescription', ruleId: 'no-such-rule', description: 'y' }] }));
      expect(rule.status, JSON.stringify(rule.body)).toBe(400);
      expect(rule.body.code).toBe('invalid_request');
      expect(rule.body.message).toContain('no-such-rule');
      const variation = await refused(() => s.post(wide, { resourceId: resourceId(), description: 'x', instructions: [{ kind: 'updateOffVariation', variationId: 'no-such-variation' }] }));
      expect(variation.status, JSON.stringify(variation.body)).toBe(400);
      expect(variation.body.message).toContain('no-such-variation');
    });

    it('404 naming the project, environment or flag; nothing written', async () => {
      for (const [url, text] of [
        [path('production', w.flag, 'nope'), 'Project "nope" not found'],
        [path('nope'), 'Environment "nope"'],
        [path('production', 'nope'), 'Flag "nope"'],
      ]) {
        const flagScoped = await refused(() => s.post(url, good()));
        expect(flagScoped.status, url).toBe(404);
        expect(flagScoped.body).toMatchObject({ code: 'not_found', message: expect.stringContaining(text) });
        const list = await s.get(url);
        expect(list.status, url).toBe(404);
        expect(list.body.message).toContain(text);
      }
      for (const [id, text] of [
        [`proj/nope:env/production:flag/${w.flag}`, 'Project "nope" not found'],
        [`proj/${w.project}:env/nope:flag/${w.flag}`, 'Environment "nope"'],
        [`proj/${w.project}:env/production:flag/nope`, 'Flag "nope"'],
      ]) {
        const res = await refused(() => s.post(wide, { resourceId: id, ...good() }));
        expect(res.status, id).toBe(404);
        expect(res.body).toMatchObject({ code: 'not_found', message: expect.stringContaining(text) });
      }
    });
  });

  it('an unknown request, or one of another environment: 404 on every route of both families; nothing written', async () => {
    const id = await ask();
    const before = await digestStore(s.store);
    const ghost = '0123456789abcdef01234567';
    const sends: [string, () => Promise<Response>, string][] = [
      ['flag GET', () => s.get(`${path()}/${ghost}`), ghost],
      ['flag PATCH', () => s.patch(`${path()}/${ghost}`, { instructions: [{ kind: 'updateDescription', value: 'y' }] }), ghost],
      ['flag DELETE', () => s.del(`${path()}/${ghost}`), ghost],
      ['flag review', () => s.post(`${path()}/${ghost}/reviews`, { kind: 'comment', comment: 'hm' }), ghost],
      ['flag apply', () => s.post(`${path()}/${ghost}/apply`, {}), ghost],
      ['other environment GET', () => s.get(`${path('test')}/${id}`), id],
      ['other environment PATCH', () => s.patch(`${path('test')}/${id}`, { instructions: [{ kind: 'updateDescription', value: 'y' }] }), id],
      ['other environment DELETE', () => s.del(`${path('test')}/${id}`), id],
      ['other environment review', () => s.post(`${path('test')}/${id}/reviews`, { kind: 'comment' }), id],
      ['other environment apply', () => s.post(`${path('test')}/${id}/apply`, {}), id],
      ['unknown flag GET', () => s.get(`${path('production', 'nope')}/${id}`), 'Flag "nope"'],
      ['unknown environment review', () => s.post(`${path('nope')}/${id}/reviews`, { kind: 'comment' }), 'Environment "nope"'],
      ['account-wide GET', () => s.get(`${wide}/${ghost}`), ghost],
      ['account-wide PATCH', () => s.patch(`${wide}/${ghost}`, { instructions: [{ kind: 'updateDescription', value: 'y' }] }), ghost],
      ['account-wide DELETE', () => s.del(`${wide}/${ghost}`), ghost],
      ['account-wide review', () => s.post(`${wide}/${ghost}/reviews`, { kind: 'comment' }), ghost],
      ['account-wide apply', () => s.post(`${wide}/${ghost}/apply`, {}), ghost],
    ];
    for (const [what, send, text] of sends) {
      const res = await send();
      expect(res.status, what).toBe(404);
      expect(res.body.code, what).toBe('not_found');
      expect(res.body.message, what).toContain(text);
    }
    expect(await digestStore(s.store)).toBe(before);
    expect((await s.del(`${path()}/${id}`)).status).toBe(204);
  });

  it('patching a request: a semantic patch of updateDescription and addReviewers only, each checked; nothing written', async () => {
    const id = await ask();
    const cases: [string, unknown, string][] = [
      ['a JSON Patch', [{ op: 'replace', path: '/description', value: 'y' }], 'body'],
      ['no instructions', { instructions: [] }, 'instructions'],
      ['an unknown kind', { instructions: [{ kind: 'updateInstructions', value: [] }] }, 'instructions[0].kind'],
      ['an empty description', { instructions: [{ kind: 'updateDescription', value: '' }] }, 'instructions[0].value'],
      ['a description that is not a string', { instructions: [{ kind: 'updateDescription', value: 7 }] }, 'instructions[0].value'],
      ['addReviewers naming no one', { instructions: [{ kind: 'addReviewers' }] }, 'instructions[0]'],
      ['addReviewers naming no member', { instructions: [{ kind: 'updateDescription', value: 'fine' }, { kind: 'addReviewers', notifyMemberIds: ['0123456789abcdef01234567'] }] }, 'instructions[1].notifyMemberIds[0]'],
      ['addReviewers naming no team', { instructions: [{ kind: 'addReviewers', notifyTeamKeys: ['ghosts'] }] }, 'instructions[0].notifyTeamKeys[0]'],
    ];
    for (const [what, body, attribute] of cases) {
      expect400(await refused(() => s.patch(`${path()}/${id}`, body)), attribute, `flag-scoped: ${what}`);
      expect400(await refused(() => s.patch(`${wide}/${id}`, body)), attribute, `account-wide: ${what}`);
    }
    expect((await s.get(`${path()}/${id}`)).body).toMatchObject({ description: 'Turn it off', _version: 1 });
    expect((await s.del(`${path()}/${id}`)).status).toBe(204);
  });

  it('reviewing: an unknown kind is a 400 naming kind; approving or declining one’s own request is a 403 (commenting is not); nothing written', async () => {
    const id = await ask();
    for (const body of [{}, { kind: 'lgtm' }, { kind: 5 }, { kind: 'APPROVE' }]) {
      expect400(await refused(() => s.post(`${path()}/${id}/reviews`, body)), 'kind', JSON.stringify(body));
      expect400(await refused(() => s.post(`${wide}/${id}/reviews`, body)), 'kind', JSON.stringify(body));
    }
    expect400(await refused(() => s.post(`${path()}/${id}/reviews`, { kind: 'comment', comment: 5 })), 'comment');
    expect400(await refused(() => s.post(`${path()}/${id}/reviews`, [{ kind: 'approve' }])), 'body');
    // The default tokens (admin, writer) are all the owner's, who asked: canReviewOwnRequest is false by default.
    for (const [url, token] of [
      [`${path()}/${id}/reviews`, s.tokens.admin],
      [`${path()}/${id}/reviews`, s.tokens.writer],
      [`${wide}/${id}/reviews`, s.tokens.admin],
    ]) {
      for (const kind of ['approve', 'decline']) {
        const res = await refused(() => s.post(url, { kind }, { token }));
        expect(res.status, `${kind} ${url}`).toBe(403);
        expect(res.body.code).toBe('forbidden');
        expect(res.body.message).toContain('own');
        expect(res.body.message).toContain('canReviewOwnRequest');
      }
    }
    const commented = await s.post(`${path()}/${id}/reviews`, { kind: 'comment', comment: 'why?' });
    expect(commented.status).toBe(200);
    expect(commented.body).toMatchObject({ reviewStatus: 'pending', status: 'pending' });
    // Someone else may.
    const approved = await s.post(`${path()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
    expect(approved.status).toBe(200);
    expect(approved.body.reviewStatus).toBe('approved');
    expect((await s.del(`${path()}/${id}`)).status).toBe(204);
  });

  it('a service token may not approve its own request either (403); nothing written', async () => {
    const service = (await s.post('/api/v2/tokens', { name: 'pipeline', role: 'writer', serviceToken: true })).body.token;
    const asked = await s.post(path(), { description: 'Turn it off', instructions: [{ kind: 'turnFlagOff' }] }, { token: service });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    try {
      for (const kind of ['approve', 'decline']) {
        let res: Response | undefined;
        const changed = await changedBy(s.store, async () => (res = await s.post(`${path()}/${asked.body._id}/reviews`, { kind }, { token: service })));
        expect(res!.status, `${kind}: ${JSON.stringify(res!.body)}`).toBe(403);
        expect(res!.body.code).toBe('forbidden');
        expect(res!.body.message).toContain('canReviewOwnRequest');
        expect(changed).toBe(false);
      }
    } finally {
      expect((await s.del(`${path()}/${asked.body._id}`)).status).toBe(204);
    }
  });

  it('applying: 400 unless approved enough (minNumApprovals) and, when declined, unless canApplyDeclinedChanges; nothing written', async () => {
    const id = await ask();
    const unapproved = await refused(() => s.post(`${path()}/${id}/apply`, {}));
    expect(unapproved.status).toBe(400);
    expect(unapproved.body.code).toBe('invalid_request');
    expect(unapproved.body.message).toContain('minNumApprovals');
    expect((await refused(() => s.post(`${wide}/${id}/apply`, { comment: 'go' }))).status).toBe(400);
    expect400(await refused(() => s.post(`${path()}/${id}/apply`, { comment: 5 })), 'comment');
    expect400(await refused(() => s.post(`${path()}/${id}/apply`, ['go'])), 'body');

    await settings({ minNumApprovals: 2 });
    expect((await s.post(`${path()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer })).body.reviewStatus).toBe('pending');
    const one = await refused(() => s.post(`${path()}/${id}/apply`, {}));
    expect(one.status).toBe(400);
    expect(one.body.message).toContain('1 approval');
    expect(one.body.message).toContain('minNumApprovals');
    // A reviewer's later verdict replaces their earlier one: one approval still.
    expect((await s.post(`${path()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer })).body.reviewStatus).toBe('pending');
    expect((await refused(() => s.post(`${path()}/${id}/apply`, {}))).status).toBe(400);

    // Declined by one, approved by two: declined; applied only where declined changes may be.
    await settings({ minNumApprovals: 1, canApplyDeclinedChanges: false });
    expect((await s.post(`${path()}/${id}/reviews`, { kind: 'decline', comment: 'no' }, { token: second })).body.reviewStatus).toBe('declined');
    const declined = await refused(() => s.post(`${wide}/${id}/apply`, {}));
    expect(declined.status).toBe(400);
    expect(declined.body.code).toBe('invalid_request');
    expect(declined.body.message).toContain('canApplyDeclinedChanges');
    expect(await status(id)).toBe('pending');
    await settings({ canApplyDeclinedChanges: true });
    const applied = await s.post(`${path()}/${id}/apply`, {});
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.status).toBe('completed');
    expect((await s.get(flagPath())).body.environments.production.on).toBe(false);
    expect((await s.patch(flagPath(), [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
  });

  it('a completed request: no more approvals, declines or applying (400); comments still; nothing written', async () => {
    const id = await ask({ instructions: [{ kind: 'updateOffVariation', variationId: w.variations[0] }] });
    await s.post(`${path()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
    expect((await s.post(`${path()}/${id}/apply`, {})).body.status).toBe('completed');
    for (const url of [`${path()}/${id}`, `${wide}/${id}`]) {
      for (const kind of ['approve', 'decline']) {
        const res = await refused(() => s.post(`${url}/reviews`, { kind }, { token: second }));
        expect(res.status, `${kind} ${url}`).toBe(400);
        expect(res.body.code).toBe('invalid_request');
        expect(res.body.message).toContain('completed');
      }
      const again = await refused(() => s.post(`${url}/apply`, {}));
      expect(again.status, url).toBe(400);
      expect(again.body.message).toContain('completed');
    }
    expect((await s.post(`${path()}/${id}/reviews`, { kind: 'comment', comment: 'thanks' }, { token: second })).status).toBe(200);
    expect(await status(id)).toBe('completed');
    await s.patch(flagPath(), { environmentKey: 'production', instructions: [{ kind: 'updateOffVariation', variationId: w.variations[1] }] }, SEMANTIC);
  });

  it('applied ten times at once: one 200, and the others the 400 of a completed request (not a 409 asking for a retry); applied once', async () => {
    for (let round = 0; round < 6; round++) {
      const id = await ask({ instructions: [{ kind: 'updateOffVariation', variationId: w.variations[round % 2] }] });
      await s.post(`${path()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
      const version = (await s.get(flagPath())).body.environments.production.version;
      // The flag's route and the account-wide one take turns.
      const url = round % 2 === 0 ? `${path()}/${id}/apply` : `${wide}/${id}/apply`;
      const results = await Promise.all(Array.from({ length: 10 }, () => s.post(url, {})));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, JSON.stringify(results.map((r) => r.body))).toEqual([200, ...Array(9).fill(400)]);
      for (const res of results.filter((r) => r.status === 400)) {
        expect(res.body.code).toBe('invalid_request');
        expect(res.body.message).toContain('the approval request is completed; only a pending request can be applied');
      }
      expect(await status(id)).toBe('completed');
      expect((await s.get(flagPath())).body.environments.production.version).toBe(version + 1);
    }
  });

  it('instructions that no longer apply when applied: the 4xx that says why, and the request is failed', async () => {
    const id = await ask({ description: 'Rename the beta rule', instructions: [{ kind: 'updateRuleDescription', ruleId: w.ruleId, description: 'Beta testers' }] });
    await s.post(`${wide}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
    // The rule is removed meanwhile (approval is not required here): a conflict with the request, made anyway.
    const conflicting = await s.patch(flagPath(), { environmentKey: 'production', instructions: [{ kind: 'removeRule', ruleId: w.ruleId }] }, SEMANTIC);
    expect(conflicting.status, JSON.stringify(conflicting.body)).toBe(400);
    expect(conflicting.body.message).toContain(`approval request ${id}`);
    const removed = await s.patch(`${flagPath()}?ignoreConflicts=true`, { environmentKey: 'production', instructions: [{ kind: 'removeRule', ruleId: w.ruleId }] }, SEMANTIC);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const before = (await s.get(flagPath())).body;
    const res = await s.post(`${path()}/${id}/apply`, { comment: 'go' });
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.message).toContain(w.ruleId);
    expect(res.body.message).toContain('failed');
    const failed = (await s.get(`${path()}/${id}`)).body;
    expect(failed).toMatchObject({ status: 'failed', reviewStatus: 'approved' });
    expect(failed.appliedDate).toBeUndefined();
    expect((await s.get(flagPath())).body).toEqual(before);
    // Failed is final: it is not applied, approved or declined again.
    expect((await refused(() => s.post(`${wide}/${id}/apply`, {}))).status).toBe(400);
    expect((await refused(() => s.post(`${path()}/${id}/reviews`, { kind: 'decline' }, { token: second }))).status).toBe(400);
    expect((await s.get(`${wide}?filter=${encodeURIComponent('status anyOf ["failed"]')}`)).body.items.map((i: { _id: string }) => i._id)).toEqual([id]);
    // The rule back, for the tests that follow.
    const restored = await s.patch(flagPath(), [
      { op: 'add', path: '/environments/production/rules/-', value: { description: 'Beta users', clauses: [{ attribute: 'groups', op: 'in', values: ['beta'], negate: false }], variation: 0, trackEvents: false } },
    ]);
    w.ruleId = restored.body.environments.production.rules[0]._id;
  });

  it('GET /api/v2/approval-requests: 400 naming filter, limit or offset', async () => {
    for (const [query, attribute] of [
      ['filter=colour equals red', 'filter'],
      ['filter=status equals', 'filter'],
      ['filter=projectKey anyOf ["a"]', 'filter'],
      ['limit=-1', 'limit'],
      ['limit=ten', 'limit'],
      ['offset=-5', 'offset'],
    ]) {
      expect400(await s.get(`${wide}?${query.replace(/ /g, '%20')}`), attribute, query);
    }
  });

  describe('required approval: the 405 gate', () => {
    const refusedWith405 = async (send: () => Promise<Response>, env = 'production') => {
      const res = await refused(send);
      expect(res.status, JSON.stringify(res.body)).toBe(405);
      expect(res.body.code).toBe('method_not_allowed');
      expect(res.body.message).toMatch(/^Approval is required to make this request/);
      expect(res.body.message).toContain(`"${env}"`);
      return res;
    };
    beforeAll(() => settings({ required: true }));
    afterAll(() => settings({ required: false, bypassApprovalsForPendingChanges: false }));

    it('a flag PATCH changing its targeting there, as JSON Patch, semantic patch or merge patch: 405, nothing written', async () => {
      await refusedWith405(() => s.patch(flagPath(), [{ op: 'replace', path: '/environments/production/on', value: false }]));
      await refusedWith405(() => s.patch(flagPath(), { comment: 'off', patch: [{ op: 'replace', path: '/environments/production/offVariation', value: 0 }] }));
      await refusedWith405(() => s.patch(flagPath(), { environmentKey: 'production', instructions: [{ kind: 'turnFlagOff' }] }, SEMANTIC));
      await refusedWith405(() => s.patch(flagPath(), { environmentKey: 'production', instructions: [{ kind: 'addTargets', variationId: w.variations[0], contextKind: 'user', values: ['ada'] }] }, SEMANTIC));
      await refusedWith405(() => s.patch(flagPath(), { environmentKey: 'production', instructions: [{ kind: 'removeRule', ruleId: w.ruleId }] }, SEMANTIC));
      await refusedWith405(() => s.patch(flagPath(), { merge: { environments: { production: { on: false } } } }));
      // Variations are every environment's: production requires approval for them too.
      await refusedWith405(() => s.patch(flagPath(), [{ op: 'replace', path: '/variations/0/name', value: 'Yes' }]));
      await refusedWith405(() => s.patch(`${flagPath()}?dryRun=true`, [{ op: 'replace', path: '/environments/production/on', value: false }]));
      // Both environments in one patch: refused as a whole.
      await refusedWith405(() =>
        s.patch(flagPath(), [
          { op: 'replace', path: '/environments/test/on', value: true },
          { op: 'replace', path: '/environments/production/on', value: false },
        ]),
      );
      const flag = (await s.get(flagPath())).body;
      expect(flag.environments.production.on).toBe(true);
      expect(flag.environments.test.on).toBe(false);
    });

    it('changes approvals do not guard pass: name, description, tags, another environment’s targeting, a patch that changes nothing', async () => {
      for (const patch of [
        [{ op: 'replace', path: '/name', value: 'Checkout button (v2)' }],
        [{ op: 'replace', path: '/description', value: 'The big one' }],
        [{ op: 'add', path: '/tags/-', value: 'checkout' }],
        [{ op: 'replace', path: '/environments/test/on', value: true }],
        [{ op: 'replace', path: '/environments/test/on', value: false }],
        [{ op: 'replace', path: '/environments/production/on', value: true }],
      ]) {
        const res = await s.patch(flagPath(), patch);
        expect(res.status, JSON.stringify({ patch, body: res.body })).toBe(200);
      }
      expect((await s.patch(flagPath(), { instructions: [{ kind: 'updateName', value: 'Checkout button' }, { kind: 'updateDescription', value: '' }] }, SEMANTIC)).status).toBe(200);
    });

    it('copying a flag’s targeting into that environment, a context’s flag setting there, and scheduling or moving a change there: 405, nothing written', async () => {
      await refusedWith405(() => s.post(`${flagPath()}/copy`, { source: { key: 'test' }, target: { key: 'production' } }));
      expect((await s.post(`${flagPath()}/copy`, { source: { key: 'production' }, target: { key: 'test' }, includedActions: ['updateOn'] })).status).toBe(201);
      await refusedWith405(() => s.put(`/api/v2/projects/${w.project}/environments/production/contexts/user/ada/flags/${w.flag}`, { setting: false }));
      expect((await s.put(`/api/v2/projects/${w.project}/environments/test/contexts/user/ada/flags/${w.flag}`, { setting: false })).status).toBe(204);
      const schedules = `/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/scheduled-changes`;
      await refusedWith405(() => s.post(schedules, { executionDate: clock + 3_600_000, instructions: [{ kind: 'turnFlagOff' }] }));
      // Even what would change nothing now (the flag is on): it changes the flag when it comes due.
      await refusedWith405(() => s.post(schedules, { executionDate: clock + 3_600_000, instructions: [{ kind: 'turnFlagOn' }] }));
      // Unless pending changes may bypass approval there.
      await settings({ bypassApprovalsForPendingChanges: true });
      const scheduled = await s.post(schedules, { executionDate: clock + 3_600_000, instructions: [{ kind: 'turnFlagOff' }] });
      expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(201);
      // Without it, the schedule can be neither moved nor given new instructions there; cancelling it is allowed.
      await settings({ bypassApprovalsForPendingChanges: false });
      const one = `${schedules}/${scheduled.body._id}`;
      await refusedWith405(() => s.patch(one, { instructions: [{ kind: 'updateScheduledChangesExecutionDate', value: clock + 60_000 }] }));
      await refusedWith405(() => s.patch(one, { instructions: [{ kind: 'replaceScheduledChangesInstructions', value: [{ kind: 'turnFlagOn' }] }] }));
      expect((await s.get(one)).body).toMatchObject({ _version: 1, executionDate: clock + 3_600_000, instructions: [{ kind: 'turnFlagOff' }] });
      expect((await s.del(one)).status).toBe(204);
    });

    it('an approved request is the way in: applying it is not refused', async () => {
      const id = await ask();
      await s.post(`${path()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
      const applied = await s.post(`${wide}/${id}/apply`, {});
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      expect(applied.body.status).toBe('completed');
      expect((await s.get(flagPath())).body.environments.production.on).toBe(false);
      // Turned back on the same way.
      const back = await ask({ instructions: [{ kind: 'turnFlagOn' }] });
      await s.post(`${path()}/${back}/reviews`, { kind: 'approve' }, { token: reviewer });
      expect((await s.post(`${path()}/${back}/apply`, {})).body.status).toBe('completed');
      expect((await s.get(flagPath())).body.environments.production.on).toBe(true);
    });
  });

  it('approval required by tags (requiredApprovalTags): only flags with such a tag are refused', async () => {
    await settings({ requiredApprovalTags: ['payments'] });
    expect((await s.post(`/api/v2/flags/${w.project}`, { name: 'Pay button', key: 'pay-button', tags: ['payments'] })).status).toBe(201);
    const untagged = await s.patch(flagPath(), [{ op: 'replace', path: '/environments/production/offVariation', value: 0 }]);
    expect(untagged.status, JSON.stringify(untagged.body)).toBe(200);
    for (const send of [
      () => s.patch(flagPath('pay-button'), [{ op: 'replace', path: '/environments/production/on', value: true }]),
      () => s.patch(flagPath('pay-button'), { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }] }, SEMANTIC),
    ]) {
      const res = await refused(send);
      expect(res.status, JSON.stringify(res.body)).toBe(405);
      expect(res.body.code).toBe('method_not_allowed');
      expect(res.body.message).toMatch(/^Approval is required to make this request/);
    }
    // Only there: the test environment requires nothing.
    expect((await s.patch(flagPath('pay-button'), [{ op: 'replace', path: '/environments/test/on', value: true }])).status).toBe(200);
    expect((await s.patch(flagPath('pay-button'), [{ op: 'replace', path: '/description', value: 'Pays' }])).status).toBe(200);
    // Tagging a flag is not guarded; its targeting is from then on.
    expect((await s.patch(flagPath(), [{ op: 'add', path: '/tags/-', value: 'payments' }])).status).toBe(200);
    const tagged = await refused(() => s.patch(flagPath(), [{ op: 'replace', path: '/environments/production/offVariation', value: 1 }]));
    expect(tagged.status).toBe(405);
    await settings({ requiredApprovalTags: [] });
  });

  it("a member's own service tokens are not other reviewers: they cannot approve the member's request, nor count twice", async () => {
    await settings({ minNumApprovals: 2 });
    try {
      const tokens = await Promise.all(['ci-1', 'ci-2'].map(async (name) => (await s.post('/api/v2/tokens', { name, role: 'writer', serviceToken: true })).body.token as string));
      const id = await ask();
      for (const token of tokens) {
        const res = await refused(() => s.post(`${path()}/${id}/reviews`, { kind: 'approve' }, { token }));
        expect(res.status, JSON.stringify(res.body)).toBe(403);
      }
      // Another member's personal token and service token are one reviewer: still one approval of the two needed.
      const theirs = mintToken();
      await insertToken(s.store.db, (await s.get('/api/v2/members/me', { token: reviewer })).body._id, theirs, { name: 'reviewer ci', role: 'writer', serviceToken: true }, clock);
      expect((await s.post(`${path()}/${id}/reviews`, { kind: 'approve' }, { token: reviewer })).status).toBe(200);
      expect((await s.post(`${path()}/${id}/reviews`, { kind: 'approve' }, { token: theirs })).body.reviewStatus).toBe('pending');
      const apply = await refused(() => s.post(`${path()}/${id}/apply`, {}));
      expect(apply.status).toBe(400);
      expect(apply.body.message).toContain('minNumApprovals');
      await s.del(`${path()}/${id}`);
    } finally {
      await settings({ minNumApprovals: 1 });
    }
  });

  it('a request asks for targeting or variations only, and needs approval wherever else the change requires it', async () => {
    for (const kind of ['updateName', 'archiveFlag', 'addTags']) {
      const body = { description: 'x', instructions: [{ kind, ...(kind === 'updateName' ? { value: 'Renamed' } : kind === 'addTags' ? { values: ['a'] } : {}) }] };
      expect400(await refused(() => s.post(path('test'), body)), 'instructions[0].kind', kind);
    }
    await settings({ required: true });
    try {
      // A variation is every environment's: asked in test, it still needs production's approval.
      const variation = { description: 'rename a variation', instructions: [{ kind: 'updateVariation', variationId: w.variations[0], name: 'Yes' }] };
      const res = await refused(() => s.post(path('test'), variation));
      expect(res.status, JSON.stringify(res.body)).toBe(405);
      expect(res.body.message).toContain('"production"');
      // Asked in production itself, it is production's to approve...
      const asked = await s.post(path(), variation);
      expect(asked.status).toBe(201);
      await s.post(`${path()}/${asked.body._id}/reviews`, { kind: 'approve' }, { token: reviewer });
      // ...but test has required approval since: applying is a 405, and the request stays pending.
      await settings({ required: true }, 'test');
      const applying = await refused(() => s.post(`${path()}/${asked.body._id}/apply`, {}));
      expect(applying.status, JSON.stringify(applying.body)).toBe(405);
      expect(applying.body.message).toContain('"test"');
      expect(await status(asked.body._id)).toBe('pending');
      await s.del(`${path()}/${asked.body._id}`);
    } finally {
      await settings({ required: false });
      await settings({ required: false }, 'test');
    }
  });

  it('an execution date past what a date can hold is a 400, not a 500 (approvals and scheduled changes)', async () => {
    const far = 8.7e15;
    expect400(await refused(() => s.post(path(), { description: 'x', instructions: [{ kind: 'turnFlagOff' }], executionDate: far })), 'executionDate');
    expect400(await refused(() => s.post(`/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/scheduled-changes`, { instructions: [{ kind: 'turnFlagOff' }], executionDate: far })), 'executionDate');
  });

  it('taking away the tag that requires approval needs approval; so do making or re-arming a trigger there', async () => {
    expect((await s.post(`/api/v2/flags/${w.project}`, { name: 'Guarded', key: 'guarded', tags: ['sensitive'] })).status).toBe(201);
    await settings({ requiredApprovalTags: ['sensitive'] });
    try {
      const untag = await refused(() => s.patch(flagPath('guarded'), [{ op: 'replace', path: '/tags', value: [] }]));
      expect(untag.status, JSON.stringify(untag.body)).toBe(405);
      expect((await s.patch(flagPath('guarded'), [{ op: 'add', path: '/tags/-', value: 'other' }])).status).toBe(200);
      const triggers = `/api/v2/flags/${w.project}/guarded/triggers/production`;
      const made = await refused(() => s.post(triggers, { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOff' }] }));
      expect(made.status, JSON.stringify(made.body)).toBe(405);
      // One made before the requirement may be disabled, not armed again.
      await settings({ requiredApprovalTags: [] });
      const trigger = (await s.post(triggers, { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOff' }] })).body;
      await settings({ requiredApprovalTags: ['sensitive'] });
      expect((await s.patch(`${triggers}/${trigger._id}`, { instructions: [{ kind: 'disableTrigger' }] })).status).toBe(200);
      const armed = await refused(() => s.patch(`${triggers}/${trigger._id}`, { instructions: [{ kind: 'enableTrigger' }] }));
      expect(armed.status, JSON.stringify(armed.body)).toBe(405);
    } finally {
      await settings({ requiredApprovalTags: [] });
    }
  });
});
