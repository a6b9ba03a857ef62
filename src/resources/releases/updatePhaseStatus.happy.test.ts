// A flag's release (beta): added to a pipeline (createReleaseForFlag), its phases begun, paused, resumed and completed
// in order (updatePhaseStatus). A phase that begins releases the flag to its audiences in the same transaction: on,
// serving the release variation to everyone (the default rule) or to the audience's segments (a new rule, its id in
// `_ruleIds`), a new flag version, the flag's own audit entry. The pipeline's progression counts the releases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const RELEASE = '/api/v2/projects/shop/flags/checkout/release';
const phase = (id: string) => `${RELEASE}/phases/${id}`;

describe('releases', () => {
  let s: TestServer;
  const clock = Date.UTC(2026, 11, 5, 12);
  let phases: { _id: string }[];
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/segments/shop/production', { key: 'beta-testers', name: 'Beta testers' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'banner', name: 'Banner' })).status).toBe(201);
    const made = await s.post(
      '/api/v2/projects/shop/release-pipelines',
      {
        key: 'standard',
        name: 'Standard',
        description: 'To production',
        phases: [
          { name: 'Testing', audiences: [{ environmentKey: 'test', name: 'QA' }] },
          { name: 'Beta', audiences: [{ environmentKey: 'production', name: 'Beta testers', segmentKeys: ['beta-testers'] }] },
          { name: 'Everyone', audiences: [{ environmentKey: 'production', name: 'Everyone' }] },
        ],
      },
      BETA,
    );
    expect(made.status).toBe(201);
  });
  afterAll(() => s.close());

  it('PUT adds the flag: 200 with the release, its first phase ready, the release variation the flag\'s true', async () => {
    const flag = (await s.get('/api/v2/flags/shop/checkout')).body;
    const res = await s.put(RELEASE, { releasePipelineKey: 'standard' }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'Standard', releasePipelineKey: 'standard', releasePipelineDescription: 'To production', _version: 1, _releaseVariationId: flag.variations[0]._id });
    expect(res.body.phases.map((p: { status: string; complete: boolean; started: boolean }) => [p.status, p.complete, p.started])).toEqual([
      ['ReadyToStart', false, false],
      ['NotStarted', false, false],
      ['NotStarted', false, false],
    ]);
    expect(res.body.phases[1]._audiences[0]).toMatchObject({ name: 'Beta testers', segmentKeys: ['beta-testers'], status: 'NotStarted', _ruleIds: [], environment: { key: 'production' } });
    phases = res.body.phases;
    // Sent again: the same release.
    expect((await s.put(RELEASE, { releasePipelineKey: 'standard' }, BETA)).body).toEqual(res.body);
    expect((await s.get('/api/v2/flags/shop/checkout/release', BETA)).body).toEqual(res.body);
  });

  it('beginning the first phase turns the flag on in its environment, serving true to everyone', async () => {
    const before = (await s.get('/api/v2/flags/shop/checkout')).body;
    const res = await s.put(phase(phases[0]._id), { status: 'Started' }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.phases[0]).toMatchObject({ status: 'Started', started: true, _startedDate: clock, complete: false });
    expect(res.body._version).toBe(2);
    const after = (await s.get('/api/v2/flags/shop/checkout')).body;
    expect(after._version).toBe(before._version + 1);
    expect(after.environments.test).toMatchObject({ on: true, fallthrough: { variation: 0 } });
    expect(after.environments.production.on).toBe(false);
    const entries = (await s.get('/api/v2/auditlog?limit=2')).body.items;
    const actions = await Promise.all(entries.map(async (e: { _id: string }) => (await s.get(`/api/v2/auditlog/${e._id}`)).body.accesses[0].action));
    expect(actions.sort()).toEqual(['updateOn', 'updateReleasePhaseStatus']);
  });

  it('in order: a later phase waits; pausing, resuming and completing; the segment audience gets a rule', async () => {
    const early = await s.put(phase(phases[1]._id), { status: 'Started' }, BETA);
    expect(early.status).toBe(400);
    expect(early.body.message).toBe('status: phase "Beta" cannot start before phase "Testing" is complete');
    expect((await s.put(phase(phases[0]._id), { status: 'Paused' }, BETA)).body.phases[0].status).toBe('Paused');
    const flagVersion = (await s.get('/api/v2/flags/shop/checkout')).body._version;
    expect((await s.put(phase(phases[0]._id), { status: 'Started' }, BETA)).body.phases[0].status).toBe('Started');
    // Resuming changes no targeting.
    expect((await s.get('/api/v2/flags/shop/checkout')).body._version).toBe(flagVersion);
    const me = (await s.get('/api/v2/members/me')).body;
    const done = (await s.put(phase(phases[0]._id), { status: 'Complete' }, BETA)).body;
    expect(done.phases[0]).toMatchObject({ status: 'Complete', complete: true, _completionDate: clock, _completedBy: { member: { _id: me._id } } });
    expect(done.phases[1].status).toBe('ReadyToStart');
    const beta = (await s.put(phase(phases[1]._id), { status: 'Started' }, BETA)).body;
    const ruleIds = beta.phases[1]._audiences[0]._ruleIds;
    expect(ruleIds).toHaveLength(1);
    const production = (await s.get('/api/v2/flags/shop/checkout')).body.environments.production;
    expect(production.on).toBe(true);
    expect(production.rules).toEqual([expect.objectContaining({ _id: ruleIds[0], variation: 0, clauses: [expect.objectContaining({ attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta-testers'] })] })]);
  });

  it("the pipeline's progression: active and completed releases, per phase, filtered", async () => {
    expect((await s.put('/api/v2/projects/shop/flags/banner/release', { releasePipelineKey: 'standard' }, BETA)).status).toBe(200);
    const url = '/api/v2/projects/shop/release-pipelines/standard/releases';
    const all = (await s.get(url, BETA)).body;
    expect(all).toMatchObject({ activeCount: 2, completedCount: 0, totalCount: 2 });
    expect(all.items.map((i: { flagKey: string }) => i.flagKey)).toEqual(['banner', 'checkout']);
    expect(all.phases.map((p: { releaseCount: number }) => p.releaseCount)).toEqual([1, 1, 0]);
    expect((await s.get(`${url}?filter=activePhaseId:${phases[1]._id}`, BETA)).body.items.map((i: { flagKey: string }) => i.flagKey)).toEqual(['checkout']);
    await s.put(phase(phases[1]._id), { status: 'Complete' }, BETA);
    await s.put(phase(phases[2]._id), { status: 'Started' }, BETA);
    const finished = (await s.put(phase(phases[2]._id), { status: 'Complete' }, BETA)).body;
    expect(finished.phases.every((p: { complete: boolean }) => p.complete)).toBe(true);
    expect((await s.get('/api/v2/flags/shop/checkout')).body.environments.production.fallthrough).toEqual({ variation: 0 });
    const completed = (await s.get(`${url}?filter=status:completed`, BETA)).body;
    expect(completed).toMatchObject({ activeCount: 1, completedCount: 1, totalCount: 1, items: [{ flagKey: 'checkout', _completedAt: clock }] });
    expect(completed.items[0].activePhaseId).toBeUndefined();
  });

  it('DELETE removes the release (204) and leaves the flag as it was', async () => {
    const flag = (await s.get('/api/v2/flags/shop/checkout')).body;
    expect((await s.del('/api/v2/flags/shop/checkout/release', BETA)).status).toBe(204);
    expect((await s.get('/api/v2/flags/shop/checkout/release', BETA)).status).toBe(404);
    expect((await s.get('/api/v2/flags/shop/checkout')).body._version).toBe(flag._version);
  });
});
