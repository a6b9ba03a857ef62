// Tokens governed by custom and inline roles, end to end: each operation asks for LaunchDarkly's action on the resource
// it touches, deny wins within a role (the more permissive of several roles), viewing a project is needed to read or change it, role changes apply at once, and a refused
// write leaves nothing behind. The seed's path (create experiment, create iteration, start) is driven by the official
// REST client with a token that may only run experiments in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AxiosError } from 'axios';
import { Configuration, ExperimentsApi, FeatureFlagsApi, type IterationInput } from 'launchdarkly-api-typescript';
import { createWorld, experimentsPath, flagVersion, iterationBody, type World } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

async function createRole(s: TestServer, key: string, policy: unknown[], extra: Record<string, unknown> = {}): Promise<{ _id: string; key: string }> {
  const res = await s.post('/api/v2/roles', { key, name: key, policy, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function createToken(s: TestServer, body: Record<string, unknown>): Promise<{ _id: string; token: string; customRoleIds: string[]; inlineRole: unknown[]; role?: string }> {
  const res = await s.post('/api/v2/tokens', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function refusal(call: Promise<unknown>): Promise<{ status: number; data: { code: string; message: string } }> {
  const err = (await call.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e,
  )) as AxiosError<{ code: string; message: string }>;
  return { status: err.response!.status, data: err.response!.data };
}

describe('custom-role tokens', () => {
  let s: TestServer;
  let w: World;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s, 'shop');
    expect((await s.post('/api/v2/projects', { name: 'Other', key: 'other' })).status).toBe(201);
  });
  afterAll(() => s.close());

  describe('an experimenter: every experiment action in production, nothing else', () => {
    let token: string;
    let roleId: string;

    beforeAll(async () => {
      const role = await createRole(s, 'experimenter', [
        { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] },
        { effect: 'allow', resources: ['proj/*:env/production:experiment/*'], actions: ['*'] },
      ]);
      roleId = role._id;
      const created = await createToken(s, { name: 'experimenter', customRoleIds: [role.key] });
      // Named by key, kept by id; a custom-role token shows no built-in role.
      expect(created.customRoleIds).toEqual([role._id]);
      expect(created.inlineRole).toEqual([]);
      expect(created).not.toHaveProperty('role');
      token = created.token;
    });

    it('creates an experiment, an iteration and starts it through the official client', async () => {
      const experiments = new ExperimentsApi(new Configuration({ apiKey: token, basePath: s.url }));
      const iteration = iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }) as unknown as IterationInput;
      const created = await experiments.createExperiment(w.project, w.env, { name: 'Green button', key: 'green', iteration });
      expect(created.status).toBe(201);
      const next = await experiments.createIteration(w.project, w.env, 'green', { ...iteration, hypothesis: 'Green lifts checkout, take two' });
      expect(next.status).toBe(200);
      const started = await experiments.patchExperiment(w.project, w.env, 'green', { instructions: [{ kind: 'startIteration', changeJustification: 'go' }] });
      expect(started.data.currentIteration?.status).toBe('running');
      expect((await experiments.getExperiment(w.project, w.env, 'green')).data.key).toBe('green');
    });

    it('is refused (403, LaunchDarkly’s shape, naming the action and resource) outside its grant, and nothing is written', async () => {
      const experiments = new ExperimentsApi(new Configuration({ apiKey: token, basePath: s.url }));
      const iteration = iterationBody(w) as unknown as IterationInput;
      const other = await refusal(experiments.createExperiment(w.project, 'test', { name: 'In test', key: 'in-test', iteration }));
      expect(other.status).toBe(403);
      expect(other.data.code).toBe('forbidden');
      expect(other.data.message).toContain('createExperiment on proj/shop:env/test:experiment/in-test');
      expect((await s.get(`/api/v2/projects/shop/environments/test/experiments/in-test`)).status).toBe(404);

      const flags = new FeatureFlagsApi(new Configuration({ apiKey: token, basePath: s.url }));
      const flagPatch = await refusal(flags.patchFeatureFlag('shop', w.flag, { patch: [{ op: 'replace', path: '/environments/production/on', value: false }] }));
      expect(flagPatch.status).toBe(403);
      expect(flagPatch.data.message).toContain('updateOn on proj/shop:env/production:flag/checkout-button');
      expect((await s.get(`/api/v2/flags/shop/${w.flag}`)).body.environments.production.on).toBe(true);

      const metric = await s.post('/api/v2/metrics/shop', { key: 'new-metric', kind: 'custom', eventKey: 'e', isNumeric: false }, { token });
      expect(metric.status).toBe(403);
      expect(metric.body.message).toContain('createMetric on proj/shop:metric/new-metric');
    });

    it('reads only the project it may view', async () => {
      expect((await s.get('/api/v2/flags/shop', { token })).status).toBe(200);
      const hidden = await s.get('/api/v2/flags/other', { token });
      expect(hidden.status).toBe(403);
      expect(hidden.body.message).toContain('viewProject on proj/other');
      // Account-wide reads are every token's.
      expect((await s.get('/api/v2/members', { token })).status).toBe(200);
      expect((await s.get('/api/v2/roles', { token })).status).toBe(200);
      expect((await s.get('/api/v2/tokens', { token })).status).toBe(403);
    });

    it('the project list and the audit log show only what it may view', async () => {
      const projects = await s.get('/api/v2/projects', { token });
      expect(projects.status).toBe(200);
      expect(projects.body.items.map((p: { key: string }) => p.key)).toEqual(['shop']);
      expect(projects.body.totalCount).toBe(1);
      const all = (await s.get('/api/v2/projects')).body.items.map((p: { key: string }) => p.key);
      expect(all).toEqual(expect.arrayContaining(['shop', 'other']));

      const entries = await s.get('/api/v2/auditlog?limit=20', { token });
      expect(entries.status).toBe(200);
      const shown: string[] = entries.body.items.map((e: { _id: string }) => e._id);
      expect(shown.length).toBeGreaterThan(0);
      const rows = await s.store.db.selectFrom('audit_log').select(['id', 'project_key']).execute();
      const otherEntry = rows.find((row) => row.project_key === 'other');
      expect(otherEntry).toBeDefined();
      expect(rows.filter((row) => shown.includes(row.id)).every((row) => row.project_key === null || row.project_key === 'shop')).toBe(true);
      expect((await s.get(`/api/v2/auditlog/${otherEntry!.id}`, { token })).status).toBe(404);
      expect((await s.get(`/api/v2/auditlog/${otherEntry!.id}`)).status).toBe(200);
    });

    it('a change to the role applies to the next request', async () => {
      const experiment = `${experimentsPath(w, 'green')}`;
      expect((await s.get(experiment, { token })).status).toBe(200);
      const patched = await s.patch('/api/v2/roles/experimenter', [{ op: 'add', path: '/policy/-', value: { effect: 'deny', resources: ['proj/shop'], actions: ['viewProject'] } }]);
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect((await s.get(experiment, { token })).status).toBe(403);
      expect((await s.patch('/api/v2/roles/experimenter', [{ op: 'remove', path: '/policy/2' }])).status).toBe(200);
      expect((await s.get(experiment, { token })).status).toBe(200);
    });

    it('a role held by a token cannot be deleted until the token lets go of it', async () => {
      const held = await s.del('/api/v2/roles/experimenter');
      expect(held.status).toBe(409);
      expect(held.body.code).toBe('conflict');
      const holder = (await s.get('/api/v2/tokens')).body.items.find((t: { customRoleIds: string[] }) => t.customRoleIds.includes(roleId));
      expect(holder).toBeDefined();
    });
  });

  describe('an inline role: turning flags on and off in production', () => {
    let token: string;
    const path = `/api/v2/flags/shop/checkout-button`;
    const semantic = { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } };

    beforeAll(async () => {
      const created = await createToken(s, {
        name: 'toggler',
        inlineRole: [
          { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] },
          { effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['updateOn'] },
        ],
      });
      expect(created.inlineRole).toHaveLength(2);
      expect(created.customRoleIds).toEqual([]);
      token = created.token;
    });

    it('semantic patch: per environment, and global instructions need every environment', async () => {
      const on = await s.patch(path, { environmentKey: 'production', instructions: [{ kind: 'turnFlagOff' }] }, { ...semantic, token });
      expect(on.status, JSON.stringify(on.body)).toBe(200);
      expect(on.body.environments.production.on).toBe(false);
      expect((await s.patch(path, { environmentKey: 'test', instructions: [{ kind: 'turnFlagOn' }] }, { ...semantic, token })).status).toBe(403);
      expect((await s.patch(path, { environmentKey: 'production', instructions: [{ kind: 'updateName', value: 'Renamed' }] }, { ...semantic, token })).status).toBe(403);
      // One refused instruction refuses the whole patch.
      const mixed = await s.patch(path, { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }, { kind: 'addTags', values: ['x'] }] }, { ...semantic, token });
      expect(mixed.status).toBe(403);
      expect((await s.get(path)).body.environments.production.on).toBe(false);
    });

    it('JSON Patch: the environment and member of each path', async () => {
      expect((await s.patch(path, [{ op: 'replace', path: '/environments/production/on', value: true }], { token })).status).toBe(200);
      expect((await s.patch(path, [{ op: 'replace', path: '/environments/production/offVariation', value: 1 }], { token })).status).toBe(403);
      expect((await s.patch(path, [{ op: 'replace', path: '/environments/test/on', value: true }], { token })).status).toBe(403);
    });
  });

  describe('tags, notActions and base permissions', () => {
    it('a specifier with a tag covers only tagged resources', async () => {
      await s.post('/api/v2/flags/shop', { name: 'Beta flag', key: 'beta-flag', tags: ['beta'] });
      const { token } = await createToken(s, {
        inlineRole: [
          { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] },
          { effect: 'allow', resources: ['proj/*:env/*:flag/*;beta'], actions: ['update*'] },
        ],
      });
      expect((await s.patch('/api/v2/flags/shop/beta-flag', [{ op: 'replace', path: '/description', value: 'tagged' }], { token })).status).toBe(200);
      expect((await s.patch('/api/v2/flags/shop/checkout-button', [{ op: 'replace', path: '/description', value: 'untagged' }], { token })).status).toBe(403);
      // Creating: the body's tags are the new flag's.
      expect((await s.post('/api/v2/flags/shop', { name: 'B2', key: 'b2', tags: ['beta'] }, { token })).status).toBe(403);
    });

    it('notActions: everything on metrics but deleting them', async () => {
      const { token } = await createToken(s, {
        inlineRole: [
          { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] },
          { effect: 'allow', resources: ['proj/shop:metric/*'], notActions: ['deleteMetric'] },
        ],
      });
      expect((await s.post('/api/v2/metrics/shop', { key: 'clicks', name: 'Clicks', kind: 'custom', eventKey: 'click', isNumeric: false }, { token })).status).toBe(201);
      expect((await s.patch('/api/v2/metrics/shop/clicks', [{ op: 'replace', path: '/name', value: 'All clicks' }], { token })).status).toBe(200);
      expect((await s.del('/api/v2/metrics/shop/clicks', { token })).status).toBe(403);
      expect((await s.get('/api/v2/metrics/shop/clicks')).status).toBe(200);
    });

    it('basePermissions reader views every project but changes nothing; no_access views nothing', async () => {
      const reader = await createRole(s, 'viewer', [{ effect: 'deny', resources: ['proj/other'], actions: ['viewProject'] }], { basePermissions: 'reader' });
      const { token } = await createToken(s, { customRoleIds: [reader._id] });
      expect((await s.get('/api/v2/flags/shop', { token })).status).toBe(200);
      expect((await s.get('/api/v2/projects/other', { token })).status).toBe(403);
      expect((await s.patch('/api/v2/flags/shop/checkout-button', [{ op: 'replace', path: '/description', value: 'x' }], { token })).status).toBe(403);
      const nothing = await createRole(s, 'nothing', []);
      const none = await createToken(s, { customRoleIds: [nothing._id] });
      expect((await s.get('/api/v2/flags/shop', { token: none.token })).status).toBe(403);
      const identity = await s.get('/api/v2/caller-identity', { token: none.token });
      expect(identity.status).toBe(200);
      expect(identity.body.scopes).toEqual(['read']);
    });

    it('with several roles the more permissive wins: a deny in one role does not take away what another allows', async () => {
      const denier = await createRole(s, 'no-production-toggles', [
        { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] },
        { effect: 'deny', resources: ['proj/shop:env/production:flag/*'], actions: ['updateOn'] },
      ]);
      const toggler = await createRole(s, 'production-toggles', [
        { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] },
        { effect: 'allow', resources: ['proj/shop:env/production:flag/*'], actions: ['updateOn'] },
      ]);
      const turnOn = [{ op: 'replace', path: '/environments/production/on', value: true }];
      const denied = await createToken(s, { customRoleIds: [denier._id] });
      expect((await s.patch('/api/v2/flags/shop/checkout-button', turnOn, { token: denied.token })).status).toBe(403);
      const both = await createToken(s, { customRoleIds: [denier._id, toggler._id] });
      expect((await s.patch('/api/v2/flags/shop/checkout-button', turnOn, { token: both.token })).status).toBe(200);
      // Within one role a deny still wins over its own allow.
      const one = await createToken(s, { inlineRole: [
        { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] },
        { effect: 'allow', resources: ['proj/shop:env/production:flag/*'], actions: ['updateOn'] },
        { effect: 'deny', resources: ['proj/shop:env/production:flag/*'], actions: ['updateOn'] },
      ] });
      expect((await s.patch('/api/v2/flags/shop/checkout-button', turnOn, { token: one.token })).status).toBe(403);
    });
  });

  describe('giving tokens custom roles', () => {
    it('400 names the field: an unknown role, a built-in role beside custom roles, a statement that does not parse', async () => {
      const unknown = await s.post('/api/v2/tokens', { customRoleIds: ['no-such-role'] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toContain('customRoleIds[0]');
      const both = await s.post('/api/v2/tokens', { role: 'writer', inlineRole: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] });
      expect(both.status).toBe(400);
      expect(both.body.message).toContain('role');
      const bad = await s.post('/api/v2/tokens', { inlineRole: [{ effect: 'allow', resources: ['proj/:env'], actions: ['*'] }] });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('inlineRole[0].resources[0]');
      const empty = await s.post('/api/v2/tokens', { inlineRole: [{ effect: 'allow', actions: ['*'] }] });
      expect(empty.status).toBe(400);
      expect(empty.body.message).toContain('inlineRole[0].resources');
    });

    it('a patch gives and takes custom roles; the token follows at once', async () => {
      const { _id, token } = await createToken(s, { role: 'writer' });
      expect((await s.patch(`/api/v2/flags/shop/checkout-button`, [{ op: 'replace', path: '/description', value: 'by writer' }], { token })).status).toBe(200);
      const nothing = (await s.get('/api/v2/roles/nothing')).body;
      const patched = await s.patch(`/api/v2/tokens/${_id}`, [{ op: 'replace', path: '/customRoleIds', value: [nothing._id] }]);
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body.customRoleIds).toEqual([nothing._id]);
      expect(patched.body).not.toHaveProperty('role');
      expect((await s.get('/api/v2/flags/shop', { token })).status).toBe(403);
      const back = await s.patch(`/api/v2/tokens/${_id}`, [
        { op: 'replace', path: '/customRoleIds', value: [] },
        { op: 'add', path: '/role', value: 'reader' },
      ]);
      expect(back.status, JSON.stringify(back.body)).toBe(200);
      expect(back.body.role).toBe('reader');
      expect((await s.get('/api/v2/flags/shop', { token })).status).toBe(200);
    });

    it('a token with custom roles may only give its own custom roles', async () => {
      const manager = await createRole(s, 'token-manager', [{ effect: 'allow', resources: ['member/*:token/*', 'service-token/*'], actions: ['*'] }]);
      const { token } = await createToken(s, { customRoleIds: [manager._id] });
      expect((await s.get('/api/v2/tokens', { token })).status).toBe(200);
      const admin = await s.post('/api/v2/tokens', { role: 'admin' }, { token });
      expect(admin.status).toBe(403);
      const inline = await s.post('/api/v2/tokens', { inlineRole: [{ effect: 'allow', resources: ['*'], actions: ['*'] }] }, { token });
      expect(inline.status).toBe(403);
      const same = await s.post('/api/v2/tokens', { customRoleIds: [manager._id] }, { token });
      expect(same.status, JSON.stringify(same.body)).toBe(201);
      // Renaming a token it may manage changes no grants: no escalation, whatever that token's role.
      const writerToken = await createToken(s, { name: 'a writer', role: 'writer' });
      const renamed = await s.patch(`/api/v2/tokens/${writerToken._id}`, [{ op: 'replace', path: '/name', value: 'renamed writer' }], { token });
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
      expect(renamed.body.role).toBe('writer');
      expect((await s.patch(`/api/v2/tokens/${writerToken._id}`, [{ op: 'replace', path: '/role', value: 'admin' }], { token })).status).toBe(403);
      const count = (await s.get('/api/v2/tokens')).body.items.length;
      expect((await s.post('/api/v2/tokens', { customRoleIds: [(await s.get('/api/v2/roles/viewer')).body._id] }, { token })).status).toBe(403);
      expect((await s.get('/api/v2/tokens')).body.items.length).toBe(count);
    });
  });
});
