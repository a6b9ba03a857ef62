// Bad input to the release operations: a 400 naming the field and its problem (phases out of order, statuses a phase
// cannot take, a non-boolean flag, an unknown pipeline or variation, the wrong operation for the pipeline's kind), a
// 404 naming the missing project, flag, release or phase; never a partial write, the flag's targeting included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unchangedBy, expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const RELEASE = '/api/v2/projects/shop/flags/checkout/release';
const FLAG_RELEASE = '/api/v2/flags/shop/checkout/release';

describe('releases: errors', () => {
  let s: TestServer;
  let phases: { _id: string; _audiences: { _id: string }[] }[];
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'colour', name: 'Colour', variations: [{ value: 'red' }, { value: 'blue' }] })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'idle', name: 'Idle' })).status).toBe(201);
    const two = [
      { name: 'Testing', audiences: [{ environmentKey: 'test', name: 'QA' }] },
      { name: 'Production', audiences: [{ environmentKey: 'production', name: 'Everyone' }] },
    ];
    expect((await s.post('/api/v2/projects/shop/release-pipelines', { key: 'standard', name: 'Standard', phases: two }, BETA)).status).toBe(201);
    expect((await s.post('/api/v2/projects/shop/release-pipelines', { key: 'legacy', name: 'Legacy', phases: two, isLegacy: true }, BETA)).status).toBe(201);
    phases = (await s.put(RELEASE, { releasePipelineKey: 'standard' }, BETA)).body.phases;
  });
  afterAll(() => s.close());

  const unchanged = (send: () => Promise<Response>) => unchangedBy(s.store, send);
  const expectInvalid = (send: () => Promise<Response>, message: string) => expectRefused(s.store, send, 400, 'invalid_request', message);

  it('404s name the missing project, flag, release or phase', async () => {
    const missing: [() => Promise<Response>, string][] = [
      [() => s.put('/api/v2/projects/nope/flags/checkout/release', { releasePipelineKey: 'standard' }, BETA), 'Project "nope" not found'],
      [() => s.put('/api/v2/projects/shop/flags/nope/release', { releasePipelineKey: 'standard' }, BETA), 'Flag "nope" in project "shop" not found'],
      [() => s.get('/api/v2/flags/shop/idle/release', BETA), 'Release of flag "idle" not found'],
      [() => s.patch('/api/v2/flags/shop/idle/release', [{ op: 'replace', path: '/phases/0/complete', value: true }], BETA), 'Release of flag "idle" not found'],
      [() => s.del('/api/v2/flags/shop/idle/release', BETA), 'Release of flag "idle" not found'],
      [() => s.put('/api/v2/projects/shop/flags/idle/release/phases/x', { status: 'Started' }, BETA), 'Release of flag "idle" not found'],
      [() => s.put(`${RELEASE}/phases/nope`, { status: 'Started' }, BETA), 'Phase "nope" of this release not found'],
    ];
    for (const [send, message] of missing) {
      const res = await unchanged(send);
      expect(res.status, message).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message });
    }
  });

  it('createReleaseForFlag: the body, a boolean flag, the pipeline and the variation', async () => {
    await expectInvalid(() => s.put(RELEASE, {}, BETA), 'releasePipelineKey: must be present');
    await expectInvalid(() => s.put(RELEASE, { releasePipelineKey: 'nope' }, BETA), 'releasePipelineKey: there is no release pipeline "nope" in project "shop"');
    await expectInvalid(() => s.put(RELEASE, { releasePipelineKey: 'standard', releaseVariationId: 'nope' }, BETA), 'releaseVariationId: flag "checkout" has no variation with _id "nope"');
    await expectInvalid(() => s.put('/api/v2/projects/shop/flags/colour/release', { releasePipelineKey: 'standard' }, BETA), 'flagKey: flag "colour" is not a boolean flag; only boolean flags can be added to a release pipeline');
  });

  it("a flag PATCH's /releasePipelineKey: add or replace, a pipeline of the project; the rest of the patch is not applied either", async () => {
    await expectInvalid(() => s.patch('/api/v2/flags/shop/idle', [{ op: 'remove', path: '/releasePipelineKey' }]), 'patch[0]: /releasePipelineKey takes only add (or replace): it adds the flag to a release pipeline');
    await expectInvalid(() => s.patch('/api/v2/flags/shop/idle', [{ op: 'add', path: '/releasePipelineKey', value: 7 }]), 'patch[0].value: must be the key of a release pipeline of the project');
    await expectInvalid(
      () => s.patch('/api/v2/flags/shop/idle', [{ op: 'replace', path: '/description', value: 'changed' }, { op: 'add', path: '/releasePipelineKey', value: 'nope' }]),
      'releasePipelineKey: there is no release pipeline "nope" in project "shop"',
    );
  });

  it('updatePhaseStatus: statuses, order, and audiences only as a phase begins', async () => {
    const url = (i: number) => `${RELEASE}/phases/${phases[i]._id}`;
    await expectInvalid(() => s.put(url(0), {}, BETA), 'status: must be present');
    await expectInvalid(() => s.put(url(0), { status: 'active' }, BETA), 'status: must be one of "NotStarted", "ReadyToStart", "Started", "Paused", "Complete"');
    await expectInvalid(() => s.put(url(0), { status: 'NotStarted' }, BETA), 'status: a phase cannot be set to NotStarted: send Started, Paused or Complete');
    await expectInvalid(() => s.put(url(0), { status: 'Paused' }, BETA), 'status: only a started phase can be paused; phase "Testing" is ReadyToStart');
    await expectInvalid(() => s.put(url(0), { status: 'Complete' }, BETA), 'status: phase "Testing" is ReadyToStart: only a started or paused phase can be completed');
    await expectInvalid(() => s.put(url(1), { status: 'Started' }, BETA), 'status: phase "Production" cannot start before phase "Testing" is complete');
    await expectInvalid(() => s.put(url(0), { status: 'Started', audiences: [{ audienceId: 'nope' }] }, BETA), 'audiences[0].audienceId: phase "Testing" has no audience "nope"');
    await expectInvalid(
      () => s.put(url(0), { status: 'Started', audiences: [{ audienceId: phases[0]._audiences[0]._id, releaseGuardianConfiguration: { rolloutWeight: 10 } }] }, BETA),
      'audiences[0].releaseGuardianConfiguration.monitoringWindowMilliseconds: must be present (the pipeline does not set it for this audience)',
    );
    expect((await s.put(url(0), { status: 'Started' }, BETA)).status).toBe(200);
    await expectInvalid(() => s.put(url(0), { status: 'Paused', audiences: [] }, BETA), 'audiences: are taken only as a phase begins; phase "Testing" has already begun or is not starting');
    // A flag being released cannot be moved to another pipeline.
    await expectInvalid(() => s.put(RELEASE, { releasePipelineKey: 'legacy' }, BETA), 'releasePipelineKey: flag "checkout" is being released along "standard"; complete or delete that release first');
    // The right operation for the pipeline's kind.
    await expectInvalid(() => s.patch(FLAG_RELEASE, [{ op: 'replace', path: '/phases/0/complete', value: true }], BETA), 'patch: the release pipeline "standard" is not a legacy pipeline: move its phases with PUT /api/v2/projects/shop/flags/checkout/release/phases/{phaseId}');
  });

  it('a phase that cannot be released (its segment deleted since) writes nothing', async () => {
    expect((await s.post('/api/v2/segments/shop/production', { key: 'beta', name: 'Beta' })).status).toBe(201);
    const phasesWithSegment = [{ name: 'Beta', audiences: [{ environmentKey: 'production', name: 'Beta', segmentKeys: ['beta'] }] }];
    expect((await s.post('/api/v2/projects/shop/release-pipelines', { key: 'segmented', name: 'Segmented', phases: phasesWithSegment }, BETA)).status).toBe(201);
    const made = await s.put('/api/v2/projects/shop/flags/idle/release', { releasePipelineKey: 'segmented' }, BETA);
    expect((await s.del('/api/v2/segments/shop/production/beta')).status).toBe(204);
    const res = await unchanged(() => s.put(`/api/v2/projects/shop/flags/idle/release/phases/${made.body.phases[0]._id}`, { status: 'Started' }, BETA));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('beta');
  });

  it('patchReleaseByFlagKey: only complete, in order, on a legacy release', async () => {
    expect((await s.del(FLAG_RELEASE, BETA)).status).toBe(204);
    expect((await s.put(RELEASE, { releasePipelineKey: 'legacy' }, BETA)).status).toBe(200);
    await expectInvalid(() => s.patch(FLAG_RELEASE, { op: 'replace' }, BETA), 'body: must be an array of operations');
    await expectInvalid(() => s.patch(FLAG_RELEASE, [{ op: 'replace', path: '/name', value: 'x' }], BETA), 'patch[0]: only {"op": "replace", "path": "/phases/<index>/complete", "value": true or false} may change a release');
    await expectInvalid(() => s.patch(FLAG_RELEASE, [{ op: 'replace', path: '/phases/0/complete', value: 'yes' }], BETA), 'patch[0].value: must be true or false');
    await expectInvalid(() => s.patch(FLAG_RELEASE, [{ op: 'replace', path: '/phases/1/complete', value: true }], BETA), 'patch[0].path: phase "Production" cannot be completed before phase "Testing"');
    await expectInvalid(() => s.patch(FLAG_RELEASE, [{ op: 'replace', path: '/phases/5/complete', value: true }], BETA), 'patch[0].path: the release has no phase 5 (it has 2)');
    await expectInvalid(
      () => s.patch(FLAG_RELEASE, [{ op: 'replace', path: '/phases/0/complete', value: true }, { op: 'replace', path: '/phases/1/complete', value: true }, { op: 'replace', path: '/phases/0/complete', value: false }], BETA),
      'patch[2].path: phase "Testing" cannot be made incomplete while phase "Production" is complete',
    );
    const url = `${RELEASE}/phases/${(await s.get(FLAG_RELEASE, BETA)).body.phases[0]._id}`;
    await expectInvalid(() => s.put(url, { status: 'Started' }, BETA), 'status: the release pipeline "legacy" is a legacy pipeline: mark its phases complete with PATCH /api/v2/flags/shop/checkout/release');
  });
});
