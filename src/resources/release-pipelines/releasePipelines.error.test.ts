// Bad input to the release pipeline operations: a 400 naming the field and its problem, a 404 naming the missing
// project or pipeline, a 409 for a key in use, the beta header required; never a partial write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unchangedBy, expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const PIPELINES = '/api/v2/projects/shop/release-pipelines';
const PHASE = { name: 'Testing', audiences: [{ environmentKey: 'test', name: 'QA' }] };

describe('release pipelines: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(PIPELINES, { key: 'standard', name: 'Standard', phases: [PHASE] }, BETA)).status).toBe(201);
    expect((await s.post(PIPELINES, { key: 'other', name: 'Other', phases: [PHASE] }, BETA)).status).toBe(201);
  });
  afterAll(() => s.close());

  const unchanged = (send: () => Promise<Response>) => unchangedBy(s.store, send);
  const expectInvalid = (send: () => Promise<Response>, message: string) => expectRefused(s.store, send, 400, 'invalid_request', message);

  it('the beta header is required', async () => {
    const res = await unchanged(() => s.post(PIPELINES, { key: 'x', name: 'X', phases: [PHASE] }));
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/beta/i);
  });

  it('404s name the missing project or pipeline', async () => {
    const missing: [() => Promise<Response>, string][] = [
      [() => s.get('/api/v2/projects/nope/release-pipelines', BETA), 'Project "nope" not found'],
      [() => s.post('/api/v2/projects/nope/release-pipelines', { key: 'x', name: 'X', phases: [PHASE] }, BETA), 'Project "nope" not found'],
      [() => s.get(`${PIPELINES}/nope`, BETA), 'Release pipeline "nope" in project "shop" not found'],
      [() => s.put(`${PIPELINES}/nope`, { name: 'X', phases: [PHASE] }, BETA), 'Release pipeline "nope" in project "shop" not found'],
      [() => s.del(`${PIPELINES}/nope`, BETA), 'Release pipeline "nope" in project "shop" not found'],
      [() => s.get(`${PIPELINES}/nope/releases`, BETA), 'Release pipeline "nope" in project "shop" not found'],
    ];
    for (const [send, message] of missing) {
      const res = await unchanged(send);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message });
    }
  });

  it('409 for a key in use', async () => {
    const res = await unchanged(() => s.post(PIPELINES, { key: 'standard', name: 'Again', phases: [PHASE] }, BETA));
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('A release pipeline with key "standard" already exists in project "shop"');
  });

  it('POST and PUT: the body, its phases and audiences', async () => {
    await expectInvalid(() => s.post(PIPELINES, { name: 'X', phases: [PHASE] }, BETA), 'key: must be present');
    await expectInvalid(() => s.post(PIPELINES, { key: 'bad key', name: 'X', phases: [PHASE] }, BETA), "key: must start with a letter or digit and contain only letters, digits, '.', '_' or '-'");
    await expectInvalid(() => s.post(PIPELINES, { key: 'x', phases: [PHASE] }, BETA), 'name: must be present');
    await expectInvalid(() => s.post(PIPELINES, { key: 'x', name: 'X', phases: [] }, BETA), 'phases: must have at least 1 item(s)');
    await expectInvalid(() => s.post(PIPELINES, { key: 'x', name: 'X', phases: Array(11).fill(PHASE) }, BETA), 'phases: must have at most 10 items');
    await expectInvalid(() => s.post(PIPELINES, { key: 'x', name: 'X', phases: [{ name: 'P', audiences: [] }] }, BETA), 'phases[0].audiences: must have at least 1 item(s)');
    await expectInvalid(() => s.post(PIPELINES, { key: 'x', name: 'X', phases: [{ name: 'P', audiences: [{ name: 'A' }] }] }, BETA), 'phases[0].audiences[0].environmentKey: must be present');
    await expectInvalid(
      () => s.post(PIPELINES, { key: 'x', name: 'X', phases: [{ name: 'P', audiences: [{ environmentKey: 'staging', name: 'A' }] }] }, BETA),
      'phases[0].audiences[0].environmentKey: there is no environment "staging" in this project',
    );
    await expectInvalid(
      () => s.post(PIPELINES, { key: 'x', name: 'X', phases: [{ name: 'P', audiences: [{ environmentKey: 'test', name: 'A' }, { environmentKey: 'test', name: 'B' }] }] }, BETA),
      'phases[0].audiences[1].environmentKey: the environment "test" already has an audience in this phase',
    );
    await expectInvalid(
      () => s.post(PIPELINES, { key: 'x', name: 'X', phases: [{ name: 'P', audiences: [{ environmentKey: 'test', name: 'A', segmentKeys: ['nope'] }] }] }, BETA),
      'phases[0].audiences[0].segmentKeys: there is no segment "nope" in that environment',
    );
    await expectInvalid(
      () => s.post(PIPELINES, { key: 'x', name: 'X', phases: [{ name: 'P', audiences: [{ environmentKey: 'test', name: 'A', configuration: { releaseStrategy: 'monitoredRelease' } }] }] }, BETA),
      'phases[0].audiences[0].configuration.requireApproval: must be present',
    );
    await expectInvalid(() => s.post(PIPELINES, { key: 'x', name: 'X', phases: [PHASE], isLegacy: 'yes' }, BETA), 'isLegacy: must be a boolean');
    await expectInvalid(() => s.put(`${PIPELINES}/standard`, { name: 'X', phases: [PHASE], key: 'renamed' }, BETA), 'key: is not allowed');
    await expectInvalid(() => s.put(`${PIPELINES}/standard`, { name: 'X' }, BETA), 'phases: must be present');
  });

  it('at most 20 pipelines in a project', async () => {
    for (let i = 0; i < 18; i++) expect((await s.post(PIPELINES, { key: `p${i}`, name: `P${i}`, phases: [PHASE] }, BETA)).status).toBe(201);
    await expectInvalid(() => s.post(PIPELINES, { key: 'one-too-many', name: 'X', phases: [PHASE] }, BETA), 'key: the project already has 20 release pipelines, the most it may have');
  });

  it('DELETE: not the default, nor a pipeline flags are being released along', async () => {
    await expectInvalid(() => s.del(`${PIPELINES}/standard`, BETA), `pipelineKey: "standard" is the project's default release pipeline, which cannot be deleted; make another pipeline the default first`);
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
    expect((await s.put('/api/v2/projects/shop/flags/checkout/release', { releasePipelineKey: 'other' }, BETA)).status).toBe(200);
    await expectInvalid(() => s.del(`${PIPELINES}/other`, BETA), 'pipelineKey: flags "checkout" are being released along "other"; complete or delete their releases first');
  });

  it('lists: filter fields and values, paging', async () => {
    await expectInvalid(() => s.get(`${PIPELINES}?filter=owner:me`, BETA), 'filter: unknown filter field "owner"; use one of query, env');
    await expectInvalid(() => s.get(`${PIPELINES}?limit=0`, BETA), 'limit: must be >= 1');
    await expectInvalid(() => s.get(`${PIPELINES}/standard/releases?filter=status:paused`, BETA), 'filter: status must be active or completed, not "paused"');
    await expectInvalid(() => s.get(`${PIPELINES}/standard/releases?filter=status:completed,activePhaseId:x`, BETA), 'filter: status:completed and activePhaseId cannot be combined: completed releases have no active phase');
  });
});
