// Copy requests end to end: asked in the target environment (201, a flag approval request with its `source` and the
// actions it copies as instructions), listed and read with the flag's other requests, reviewed, and applied through
// copyFeatureFlag's copy (the target's targeting becomes the source's, audited copyFlagConfigTo); where the target
// requires approval, this is the way a copy gets in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copiedSettings, createWorld, memberWithToken, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postFlagCopyConfigApprovalRequest', () => {
  let s: TestServer;
  let w: World;
  let reviewer: string;
  const clock = Date.UTC(2026, 11, 5, 12);
  const requests = (env = 'test') => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/${env}/approval-requests`;
  const copyPath = (env = 'test') => `${requests(env)}-flag-copy`;
  const flag = async () => (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body;
  const approve = async (id: string, env = 'test') => {
    const res = await s.post(`${requests(env)}/${id}/reviews`, { kind: 'approve' }, { token: reviewer });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
    reviewer = (await memberWithToken(s, 'reviewer@acme.com')).token;
    expect((await s.post(`/api/v2/projects/${w.project}/environments`, { key: 'staging', name: 'Staging', color: '00aa00' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it("201 with the spec's fields, source and the copied actions; listed, read back and shown account-wide as the flag's request", async () => {
    const me = (await s.get('/api/v2/members/me')).body;
    const before = await flag();
    const res = await s.post(copyPath(), { description: 'Promote to test', source: { key: 'production', version: w.version }, comment: 'ready', notifyMemberIds: [me._id] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _version: 1,
      creationDate: clock,
      serviceKind: 'launchdarkly',
      requestorId: me._id,
      description: 'Promote to test',
      reviewStatus: 'pending',
      allReviews: [],
      notifyMemberIds: [me._id],
      status: 'pending',
      instructions: ['updateOn', 'updateRules', 'updateFallthrough', 'updateOffVariation', 'updatePrerequisites', 'updateTargets'].map((kind) => ({ kind })),
      conflicts: [],
      source: { key: 'production', version: w.version },
      _links: { parent: { href: requests(), type: 'application/json' }, self: { href: `${requests()}/${res.body._id}`, type: 'application/json' } },
    });
    expect((await flag()).environments.test).toEqual(before.environments.test);
    expect((await s.get(requests())).body.items).toEqual([res.body]);
    expect((await s.get(`${requests()}/${res.body._id}`)).body).toEqual(res.body);
    const wide = (await s.get(`/api/v2/approval-requests/${res.body._id}`)).body;
    expect(wide).toMatchObject({ source: { key: 'production', version: w.version }, resourceId: `proj/${w.project}:env/test:flag/${w.flag}` });
    expect((await s.del(`${requests()}/${res.body._id}`)).status).toBe(204);
  });

  it('where the target requires approval: copyFeatureFlag is refused, the request approved by another member and applied makes the copy', async () => {
    expect((await s.patch(`/api/v2/projects/${w.project}/environments/test`, [{ op: 'replace', path: '/approvalSettings/required', value: true }])).status).toBe(200);
    const direct = await s.post(`/api/v2/flags/${w.project}/${w.flag}/copy`, { source: { key: 'production' }, target: { key: 'test' } });
    expect(direct.status).toBe(405);
    const id = (await s.post(copyPath(), { description: 'Promote', source: { key: 'production' }, comment: 'as asked' })).body._id;
    await approve(id);
    const applied = await s.post(`${requests()}/${id}/apply`, { comment: 'shipping' });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toMatchObject({ status: 'completed', reviewStatus: 'approved', appliedDate: clock, source: { key: 'production' } });
    expect(applied.body.source).not.toHaveProperty('version');
    const after = await flag();
    expect(copiedSettings(after.environments.test)).toEqual(copiedSettings(after.environments.production));
    expect(after.environments.test.on).toBe(true);
    const [entry] = (await s.get('/api/v2/auditlog?limit=2')).body.items;
    expect(entry).toMatchObject({ description: expect.stringContaining(`copied the flag settings of Checkout button from production to test (approval request ${id})`), comment: 'shipping' });
    expect((await s.patch(`/api/v2/projects/${w.project}/environments/test`, [{ op: 'replace', path: '/approvalSettings/required', value: false }])).status).toBe(200);
  });

  it('includedActions copy only what they name, and the request shows only those', async () => {
    const res = await s.post(copyPath('staging'), { description: 'Just on', source: { key: 'production' }, includedActions: ['updateOn'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.instructions).toEqual([{ kind: 'updateOn' }]);
    const excluded = await s.post(copyPath('staging'), { description: 'All but rules', source: { key: 'production' }, excludedActions: ['updateRules', 'updateTargets'] });
    expect(excluded.body.instructions.map((i: { kind: string }) => i.kind)).toEqual(['updateOn', 'updateFallthrough', 'updateOffVariation', 'updatePrerequisites']);
    await approve(res.body._id, 'staging');
    expect((await s.post(`${requests('staging')}/${res.body._id}/apply`, {})).status).toBe(200);
    const staging = (await flag()).environments.staging;
    expect(staging.on).toBe(true);
    expect(staging.rules).toEqual([]);
    await s.del(`${requests('staging')}/${excluded.body._id}`);
  });

  it('a copy conflicts with the pending requests that change what it copies: its rules with a change of any one rule', async () => {
    const turnOff = (await s.post(requests('staging'), { description: 'Off', instructions: [{ kind: 'turnFlagOff' }] })).body;
    const copy = (await s.post(copyPath('staging'), { description: 'Copy', source: { key: 'production' }, includedActions: ['updateOn', 'updateRules'] })).body;
    expect(copy.conflicts).toEqual([{ instruction: { kind: 'updateOn' }, reason: `pending approval request ${turnOff._id} also changes the flag's targeting on or off` }]);
    const production = (await flag()).environments.production;
    const onRule = (await s.post(requests('production'), { description: 'Rule', instructions: [{ kind: 'updateRuleDescription', ruleId: production.rules[0]._id, description: 'Beta' }] })).body;
    const intoProduction = (await s.post(copyPath('production'), { description: 'Back', source: { key: 'staging' }, includedActions: ['updateRules'] })).body;
    expect(intoProduction.conflicts).toEqual([{ instruction: { kind: 'updateRules' }, reason: `pending approval request ${onRule._id} also changes the flag's rules` }]);
    expect((await s.get(`${requests('production')}/${onRule._id}`)).body.conflicts).toHaveLength(1);
    for (const [env, id] of [['staging', turnOff._id], ['staging', copy._id], ['production', onRule._id], ['production', intoProduction._id]]) {
      expect((await s.del(`${requests(env)}/${id}`)).status).toBe(204);
    }
  });
});
