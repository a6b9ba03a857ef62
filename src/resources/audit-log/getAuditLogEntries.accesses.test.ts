import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('getAuditLogEntries: accesses named as LaunchDarkly names them', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s, 'shop');
  });
  afterAll(() => s.close());

  const latest = async (spec: string) => (await s.get(`/api/v2/auditlog?limit=20&spec=${encodeURIComponent(spec)}`)).body.items;

  it("a metric group's update is named by what it changed, and its entry keeps the JSON Patch as delta", async () => {
    const patch = [
      { op: 'replace', path: '/name', value: 'Money matters' },
      { op: 'replace', path: '/description', value: 'revenue' },
    ];
    expect((await s.patch(`/api/v2/projects/${w.project}/metric-groups/${w.standardGroup}`, patch, BETA)).status).toBe(200);
    const [entry] = await latest(`proj/${w.project}:metric-group/${w.standardGroup}`);
    const resource = `proj/${w.project}:metric-group/${w.standardGroup}`;
    expect(entry.accesses).toEqual([
      { action: 'updateMetricGroupName', resource },
      { action: 'updateMetricGroupDescription', resource },
    ]);
    expect((await s.get(`/api/v2/auditlog/${entry._id}`)).body.delta).toEqual(patch);
  });

  it("a token's entries are on its resource as roles name it (service-token/{id}, member/{id}:token/{id}), named by what changed", async () => {
    const service = (await s.post('/api/v2/tokens', { name: 'deployer', role: 'reader', serviceToken: true })).body;
    const personal = (await s.post('/api/v2/tokens', { name: 'mine', role: 'reader' })).body;
    const patched = await s.patch(`/api/v2/tokens/${personal._id}`, [
      { op: 'replace', path: '/name', value: 'still mine' },
      { op: 'replace', path: '/role', value: 'writer' },
    ]);
    expect(patched.status).toBe(200);
    expect((await s.del(`/api/v2/tokens/${service._id}`)).status).toBe(204);

    const serviceEntries = await latest('service-token/*');
    expect(serviceEntries.map((e: { accesses: unknown[] }) => e.accesses)).toEqual([
      [{ action: 'deleteAccessToken', resource: `service-token/${service._id}` }],
      [{ action: 'createAccessToken', resource: `service-token/${service._id}` }],
    ]);
    // A deleted token's entry names it as it was named.
    expect(serviceEntries[0]).toMatchObject({ name: 'deployer', shortDescription: 'deleted the access token deployer' });
    expect(serviceEntries[0]._links.canonical.href).toBe(`/api/v2/tokens/${service._id}`);

    const resource = `member/${personal.memberId}:token/${personal._id}`;
    const personalEntries = await latest('member/*:token/*');
    expect(personalEntries.map((e: { accesses: unknown[] }) => e.accesses)).toEqual([
      [
        { action: 'updateAccessTokenName', resource },
        { action: 'updateAccessTokenPolicy', resource },
      ],
      [{ action: 'createAccessToken', resource }],
    ]);
    expect(personalEntries[0].target).toEqual({ _links: { canonical: { href: `/api/v2/tokens/${personal._id}`, type: 'application/json' } }, name: 'still mine', resources: [resource] });
    // A search's statements pick them by the resources roles name.
    const searched = await s.post('/api/v2/auditlog', [{ effect: 'allow', resources: ['member/*:token/*'], actions: ['updateAccessTokenPolicy'] }]);
    expect(searched.body.items.map((e: { _id: string }) => e._id)).toEqual([personalEntries[0]._id]);
  });

  it("semantic patches of experiments, holdouts and layers, and a new iteration, are named by the actions role checks ask for", async () => {
    await createExperimentIn(s, w, 'archived');
    expect((await s.patch(experimentsPath(w, 'archived'), { instructions: [{ kind: 'updateName', value: 'Renamed' }, { kind: 'archiveExperiment' }] })).status).toBe(200);
    const experiment = `proj/${w.project}:env/${w.env}:experiment/archived`;
    expect((await latest(experiment)).map((e: { accesses: unknown[] }) => e.accesses)).toEqual([
      [
        { action: 'updateExperiment', resource: experiment },
        { action: 'updateExperimentArchived', resource: experiment },
      ],
      [{ action: 'createExperiment', resource: experiment }],
    ]);

    const holdouts = `/api/v2/projects/${w.project}/environments/${w.env}/holdouts`;
    expect((await s.post(holdouts, { name: 'Holdout', key: 'held', holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA)).status).toBe(201);
    const renamed = await s.patch(`${holdouts}/held`, { comment: 'clearer', instructions: [{ kind: 'updateName', value: 'Held back' }, { kind: 'updateDescription', value: 'x' }] }, BETA);
    expect(renamed.status).toBe(200);
    const holdout = `proj/${w.project}:env/${w.env}:holdout/held`;
    expect((await latest(holdout))[0].accesses).toEqual([
      { action: 'updateHoldoutName', resource: holdout },
      { action: 'updateHoldoutDescription', resource: holdout },
    ]);

    await createExperimentIn(s, w, 'layered');
    expect((await s.post(`/api/v2/projects/${w.project}/layers`, { key: 'flow', name: 'Flow', description: '' })).status).toBe(201);
    const body = { environmentKey: w.env, instructions: [{ kind: 'updateName', name: 'Checkout flow' }, { kind: 'updateExperimentReservation', experimentKey: 'layered', reservationPercent: 10 }] };
    const reserved = await s.patch(`/api/v2/projects/${w.project}/layers/flow`, body);
    expect(reserved.status, JSON.stringify(reserved.body)).toBe(200);
    const layer = `proj/${w.project}:layer/flow`;
    const [entry] = await latest(layer);
    expect(entry.accesses).toEqual([
      { action: 'updateLayer', resource: layer },
      { action: 'updateLayerConfiguration', resource: layer },
    ]);
    expect((await s.get(`/api/v2/auditlog/${entry._id}`)).body.delta).toEqual(body);
  });

  it("a custom role's and a member's update name every field it changed, not only the first", async () => {
    expect((await s.post('/api/v2/roles', { key: 'viewer', name: 'Viewer', policy: [{ effect: 'allow', actions: ['*'], resources: ['proj/*'] }] })).status).toBe(201);
    const policy = [{ effect: 'allow', actions: ['viewProject'], resources: ['proj/*'] }];
    expect((await s.patch('/api/v2/roles/viewer', [{ op: 'replace', path: '/policy', value: policy }, { op: 'replace', path: '/description', value: 'reads' }])).status).toBe(200);
    expect((await latest('role/viewer'))[0].accesses).toEqual([
      { action: 'updateDescription', resource: 'role/viewer' },
      { action: 'updatePolicy', resource: 'role/viewer' },
    ]);

    const invited = await s.post('/api/v2/members', [{ email: 'carol@example.com', role: 'reader' }]);
    const id = invited.body.items[0]._id;
    const patched = await s.patch(`/api/v2/members/${id}`, [{ op: 'replace', path: '/firstName', value: 'Carol' }, { op: 'replace', path: '/role', value: 'writer' }]);
    expect(patched.status).toBe(200);
    expect((await latest(`member/${id}`))[0].accesses).toEqual([
      { action: 'updateRole', resource: `member/${id}` },
      { action: 'updateName', resource: `member/${id}` },
    ]);
  });

  it("a team patch names every instruction's action, not only the first", async () => {
    const invited = await s.post('/api/v2/members', [{ email: 'dave@example.com', role: 'reader' }]);
    expect((await s.post('/api/v2/teams', { key: 'platform', name: 'Platform' })).status).toBe(201);
    const patched = await s.patch('/api/v2/teams/platform', { instructions: [{ kind: 'updateName', value: 'Platform team' }, { kind: 'addMembers', values: [invited.body.items[0]._id] }] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await latest('team/platform'))[0].accesses).toEqual([
      { action: 'updateTeamName', resource: 'team/platform' },
      { action: 'updateTeamMembers', resource: 'team/platform' },
    ]);
  });
});
