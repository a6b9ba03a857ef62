// Who may do what with approval requests: a token is needed (401); readers read but neither ask, change, review,
// apply nor delete (403); a custom role needs LaunchDarkly's flag actions createApprovalRequest,
// updateApprovalRequest, reviewApprovalRequest, applyApprovalRequest and deleteApprovalRequest on the flag in that
// environment, on the flag-scoped routes and on the account-wide ones alike (which learn the flag from the request),
// and viewProject to read one or see it listed. bypassRequiredApproval lets a custom role change a flag where
// approval is required. Tags of the project, the environment and the flag count on every route, as the route check
// counts them. Nothing refused is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, memberWithToken, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const ACTIONS = ['createApprovalRequest', 'updateApprovalRequest', 'reviewApprovalRequest', 'applyApprovalRequest', 'deleteApprovalRequest'] as const;
type Action = (typeof ACTIONS)[number];

describe('approval requests: security', () => {
  let s: TestServer;
  let w: World;
  /** A writer token of a member other than the owner (whose the default and custom-role tokens are): approves the owner's requests. */
  let reviewer: string;
  const path = (env = 'production', project = w.project, flag = w.flag) => `/api/v2/projects/${project}/flags/${flag}/environments/${env}/approval-requests`;
  const wide = '/api/v2/approval-requests';
  const body = () => ({ description: 'Turn it off', instructions: [{ kind: 'turnFlagOff' }] });
  const ask = async (env = 'production', project = w.project): Promise<string> => {
    const res = await s.post(path(env, project), body());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body._id;
  };
  const approved = async (env = 'production'): Promise<string> => {
    const id = await ask(env);
    const res = await s.post(`${path(env)}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return id;
  };
  const settings = async (values: Record<string, unknown>, env = 'production') => {
    const res = await s.patch(`/api/v2/projects/${w.project}/environments/${env}`, Object.entries(values).map(([k, value]) => ({ op: 'replace', path: `/approvalSettings/${k}`, value })));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  /** A token whose inline role allows viewProject on every project (unless `view` says which) and `actions` on flags in `env`. */
  const roleToken = async (actions: string[], env = 'production', view = 'proj/*'): Promise<string> => {
    const inlineRole = [{ effect: 'allow', resources: [view], actions: ['viewProject'] }, ...(actions.length > 0 ? [{ effect: 'allow', resources: [`proj/*:env/${env}:flag/*`], actions }] : [])];
    const res = await s.post('/api/v2/tokens', { name: `${actions.join() || 'view'} in ${env}`, inlineRole });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.token;
  };

  /** Sends it and asserts it was refused with `status` without writing anything. */
  async function refused(send: () => Promise<Response>, status: number, what: string): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send())), what).toBe(false);
    expect(res!.status, `${what}: ${JSON.stringify(res!.body)}`).toBe(status);
    return res!;
  }

  /** Each write of both families with `token`, each against its own request (approved, to apply): [what, action, send]. */
  async function writes(token: string | null, env = 'production'): Promise<[string, Action, () => Promise<Response>][]> {
    const [a, b, c, d] = [await ask(env), await ask(env), await ask(env), await ask(env)];
    const [readyA, readyB] = [await approved(env), await approved(env)];
    const opts = { token };
    const describe = { instructions: [{ kind: 'updateDescription', value: 'Switch it off' }] };
    return [
      ['flag POST', 'createApprovalRequest', () => s.post(path(env), body(), opts)],
      ['account-wide POST', 'createApprovalRequest', () => s.post(wide, { resourceId: `proj/${w.project}:env/${env}:flag/${w.flag}`, ...body() }, opts)],
      ['flag PATCH', 'updateApprovalRequest', () => s.patch(`${path(env)}/${a}`, describe, opts)],
      ['account-wide PATCH', 'updateApprovalRequest', () => s.patch(`${wide}/${b}`, describe, opts)],
      ['flag review', 'reviewApprovalRequest', () => s.post(`${path(env)}/${a}/reviews`, { kind: 'comment', comment: 'hm' }, opts)],
      ['account-wide review', 'reviewApprovalRequest', () => s.post(`${wide}/${b}/reviews`, { kind: 'comment', comment: 'hm' }, opts)],
      ['flag apply', 'applyApprovalRequest', () => s.post(`${path(env)}/${readyA}/apply`, {}, opts)],
      ['account-wide apply', 'applyApprovalRequest', () => s.post(`${wide}/${readyB}/apply`, {}, opts)],
      ['flag DELETE', 'deleteApprovalRequest', () => s.del(`${path(env)}/${c}`, opts)],
      ['account-wide DELETE', 'deleteApprovalRequest', () => s.del(`${wide}/${d}`, opts)],
    ];
  }

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    reviewer = (await memberWithToken(s, 'reviewer@acme.com')).token;
    expect((await s.post('/api/v2/projects', { name: 'Other', key: 'other' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/other', { name: 'Banner', key: w.flag })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one, on every route; nothing written', async () => {
    const id = await ask();
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const [what, , send] of await writes(token)) {
        const res = await refused(send, 401, `${what} with ${token}`);
        expect(res.body.code).toBe('unauthorized');
      }
      for (const url of [path(), `${path()}/${id}`, wide, `${wide}/${id}`]) expect((await s.get(url, { token })).status, url).toBe(401);
    }
  });

  it('readers read requests on both families, and may not ask, change, review, apply or delete (403)', async () => {
    const id = await ask();
    const reader = { token: s.tokens.reader };
    expect((await s.get(path(), reader)).body.items.map((i: { _id: string }) => i._id)).toContain(id);
    expect((await s.get(`${path()}/${id}`, reader)).body._id).toBe(id);
    expect((await s.get(wide, reader)).body.items.map((i: { _id: string }) => i._id)).toContain(id);
    expect((await s.get(`${wide}/${id}?expand=flag,project,environments`, reader)).body).toMatchObject({ _id: id, flag: { key: w.flag } });
    for (const [what, , send] of await writes(s.tokens.reader)) {
      const res = await refused(send, 403, `reader: ${what}`);
      expect(res.body.code).toBe('forbidden');
    }
    // The writer (the owner's token) may; approving their own request is a matter for the approval settings.
    for (const [what, , send] of await writes(s.tokens.writer)) expect((await send()).status, `writer: ${what}`).toBeLessThan(300);
  });

  it('custom roles: each write needs its action on the flag in that environment, on both families', async () => {
    for (const action of ACTIONS) {
      // Every approval action but this one: refused, naming it; nothing written.
      const without = await roleToken(ACTIONS.filter((a) => a !== action));
      for (const [what, needs, send] of await writes(without)) {
        if (needs !== action) continue;
        const res = await refused(send, 403, `without ${action}: ${what}`);
        expect(res.body.code).toBe('forbidden');
        expect(res.body.message, what).toContain(action);
        expect(res.body.message, what).toContain(`proj/${w.project}:env/production:flag/${w.flag}`);
      }
      // Just this one: allowed.
      const just = await roleToken([action]);
      for (const [what, needs, send] of await writes(just)) {
        if (needs !== action) continue;
        const res = await send();
        expect(res.status, `with ${action}: ${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      }
    }
  });

  it('custom roles: the actions in another environment allow nothing here', async () => {
    const elsewhere = await roleToken([...ACTIONS], 'test');
    for (const [what, action, send] of await writes(elsewhere)) {
      const res = await refused(send, 403, `actions in test: ${what}`);
      expect(res.body.message, what).toContain(action);
    }
    for (const [what, , send] of await writes(elsewhere, 'test')) expect((await send()).status, `in test: ${what}`).toBeLessThan(300);
  });

  it('custom roles: viewProject reads requests; without it, neither the flag’s list nor the request by id', async () => {
    const id = await ask();
    const viewer = await roleToken([]);
    expect((await s.get(path(), { token: viewer })).status).toBe(200);
    expect((await s.get(`${path()}/${id}`, { token: viewer })).status).toBe(200);
    expect((await s.get(`${wide}/${id}`, { token: viewer })).status).toBe(200);
    const outsider = await roleToken([...ACTIONS], 'production', 'proj/other');
    for (const url of [path(), `${path()}/${id}`, `${wide}/${id}`]) {
      const res = await s.get(url, { token: outsider });
      expect(res.status, url).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect(res.body.message).toContain(`proj/${w.project}`);
    }
  });

  it("custom roles: a deny on the environment's or the project's tags holds on the account-wide routes, which learn the flag from the request", async () => {
    const tag = async (url: string, tags: string[]) => expect((await s.patch(url, [{ op: 'replace', path: '/tags', value: tags }])).status).toBe(200);
    await tag(`/api/v2/projects/${w.project}/environments/production`, ['prod']);
    await tag('/api/v2/projects/other', ['secret']);
    try {
      const role = async (deny: string[]) =>
        (
          await s.post('/api/v2/tokens', {
            name: `deny ${deny.join()}`,
            inlineRole: [
              { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] },
              { effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['*'] },
              { effect: 'deny', resources: deny, actions: ['*'] },
            ],
          })
        ).body.token as string;
      const notProduction = await role(['proj/*:env/*;prod:flag/*']);
      for (const [what, action, send] of await writes(notProduction)) {
        const res = await refused(send, 403, `environment tag denied: ${what}`);
        expect(res.body.message, what).toContain(action);
      }
      for (const [what, , send] of await writes(notProduction, 'test')) expect((await send()).status, `untagged test: ${what}`).toBeLessThan(300);

      const theirs = await ask('production', 'other');
      const notSecret = await role(['proj/*;secret', 'proj/*;secret:env/*:flag/*']);
      for (const send of [() => s.get(`${wide}/${theirs}`, { token: notSecret }), () => s.del(`${wide}/${theirs}`, { token: notSecret })]) {
        expect((await refused(send, 403, 'project tag denied')).body.code).toBe('forbidden');
      }
      expect((await s.get(`${wide}/${theirs}`)).status).toBe(200);
      expect((await s.del(`${wide}/${theirs}`)).status).toBe(204);
    } finally {
      await tag(`/api/v2/projects/${w.project}/environments/production`, []);
      await tag('/api/v2/projects/other', []);
    }
  });

  it('GET /api/v2/approval-requests lists only the requests of projects the token may view', async () => {
    const mine = await ask();
    const theirs = await ask('production', 'other');
    const all = (await s.get(`${wide}?limit=200`)).body.items.map((i: { _id: string }) => i._id);
    expect(all).toEqual(expect.arrayContaining([mine, theirs]));
    const outsider = await roleToken([], 'production', 'proj/other');
    const listed = (await s.get(`${wide}?limit=200`, { token: outsider })).body;
    expect(listed.items.map((i: { _id: string }) => i._id)).toEqual([theirs]);
    expect(listed.totalCount).toBe(1);
    const filtered = (await s.get(`${wide}?filter=${encodeURIComponent(`projectKey equals ${w.project}`)}`, { token: outsider })).body;
    expect(filtered).toMatchObject({ items: [], totalCount: 0 });
    const nothing = await s.post('/api/v2/tokens', { name: 'nothing', inlineRole: [{ effect: 'allow', resources: ['proj/nope'], actions: ['viewProject'] }] });
    expect((await s.get(wide, { token: nothing.body.token })).body).toMatchObject({ items: [], totalCount: 0 });
  });

  describe('where approval is required', () => {
    const flagPath = () => `/api/v2/flags/${w.project}/${w.flag}`;
    const off = [{ op: 'replace', path: '/environments/production/on', value: false }];
    const on = [{ op: 'replace', path: '/environments/production/on', value: true }];
    beforeAll(async () => {
      expect((await s.patch(flagPath(), on)).status).toBe(200);
      await settings({ required: true });
    });
    afterAll(() => settings({ required: false }));

    it('bypassRequiredApproval lets a custom role change the flag; nothing else does', async () => {
      const bypassElsewhere = await s.post('/api/v2/tokens', {
        name: 'bypass in test',
        inlineRole: [
          { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] },
          { effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['updateOn'] },
          { effect: 'allow', resources: ['proj/*:env/test:flag/*'], actions: ['bypassRequiredApproval'] },
        ],
      });
      for (const token of [s.tokens.admin, s.tokens.writer, await roleToken(['updateOn']), bypassElsewhere.body.token]) {
        const res = await refused(() => s.patch(flagPath(), off, { token }), 405, 'without bypassRequiredApproval');
        expect(res.body.code).toBe('method_not_allowed');
        expect(res.body.message).toMatch(/^Approval is required to make this request/);
      }
      const bypass = await roleToken(['updateOn', 'bypassRequiredApproval']);
      const res = await s.patch(flagPath(), off, { token: bypass });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.environments.production.on).toBe(false);
      const semantic = await s.patch(flagPath(), { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }] }, { token: bypass, headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } });
      expect(semantic.status, JSON.stringify(semantic.body)).toBe(200);
      expect(semantic.body.environments.production.on).toBe(true);
      // Bypassing is not changing: the flag action the change needs is still asked for.
      const bypassOnly = await roleToken(['bypassRequiredApproval']);
      expect((await refused(() => s.patch(flagPath(), off, { token: bypassOnly }), 403, 'bypass without updateOn')).body.message).toContain('updateOn');
      expect((await s.patch(flagPath(), off)).status).toBe(405);
    });

    it("bypassRequiredApproval denied on the environment's tags is denied, whatever else allows it", async () => {
      const envPath = `/api/v2/projects/${w.project}/environments/production`;
      expect((await s.patch(envPath, [{ op: 'replace', path: '/tags', value: ['prod'] }])).status).toBe(200);
      try {
        const inlineRole = [
          { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] },
          { effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['updateOn', 'bypassRequiredApproval'] },
          { effect: 'deny', resources: ['proj/*:env/*;prod:flag/*'], actions: ['bypassRequiredApproval'] },
        ];
        const token = (await s.post('/api/v2/tokens', { name: 'no bypass in prod', inlineRole })).body.token;
        expect((await refused(() => s.patch(flagPath(), off, { token }), 405, 'bypass denied by tag')).body.code).toBe('method_not_allowed');
      } finally {
        expect((await s.patch(envPath, [{ op: 'replace', path: '/tags', value: [] }])).status).toBe(200);
      }
    });

    it('a custom role with applyApprovalRequest applies an approved request without bypassing anything', async () => {
      const id = await approved();
      const applier = await roleToken(['applyApprovalRequest']);
      const res = await s.post(`${wide}/${id}/apply`, {}, { token: applier });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe('completed');
      expect((await s.get(flagPath())).body.environments.production.on).toBe(false);
      const back = await s.post(path(), { description: 'On again', instructions: [{ kind: 'turnFlagOn' }] });
      await s.post(`${path()}/${back.body._id}/reviews`, { kind: 'approve' }, { token: reviewer });
      expect((await s.post(`${path()}/${back.body._id}/apply`, {}, { token: applier })).body.status).toBe('completed');
    });
  });
});
