import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { beforeNextTransaction, createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('createExperiment: errors', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  async function count() {
    return (await s.get(`${experimentsPath(w)}?lifecycleState=active,archived`)).body.total_count as number;
  }

  it('validates the initial iteration exactly like create iteration, prefixing attributes with iteration.', async () => {
    const before = await count();
    const res = await s.post(experimentsPath(w), { name: 'X', key: 'x', iteration: iterationBody(w, { treatments: [], randomizationUnit: 'device' }) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { attribute: 'iteration.treatments', reason: 'must have at least one treatment' },
        { attribute: 'iteration.randomizationUnit', reason: 'Randomization unit "device" not found in project settings [user]' },
      ]),
    );
    expect(await count()).toBe(before);
  });

  it('reports top-level and iteration problems together', async () => {
    const res = await s.post(experimentsPath(w), { key: 'has space', iteration: iterationBody(w, { hypothesis: 5 }), methodology: 'magic' });
    expect(res.status).toBe(400);
    const attributes = res.body.errors.map((e: { attribute: string }) => e.attribute);
    expect(attributes).toEqual(expect.arrayContaining(['name', 'key', 'methodology', 'iteration.hypothesis']));
  });

  it('400 for a name of spaces alone, as updateName gives; nothing is created', async () => {
    const res = await s.post(experimentsPath(w), { name: '   ', key: 'blank-name', iteration: iterationBody(w) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'name', reason: 'must not be blank' }]);
    expect((await s.get(experimentsPath(w, 'blank-name'))).status).toBe(404);
  });

  it('400 when the iteration is missing, and for an unknown maintainer', async () => {
    const missing = await s.post(experimentsPath(w), { name: 'X', key: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual({ attribute: 'iteration', reason: 'must be present' });
    const maintainer = await s.post(experimentsPath(w), { name: 'X', key: 'x', maintainerId: 'ffffffffffffffffffffffff', iteration: iterationBody(w) });
    expect(maintainer.status).toBe(400);
    expect(maintainer.body.errors).toContainEqual({ attribute: 'maintainerId', reason: 'member "ffffffffffffffffffffffff" not found' });
  });

  it('409 on a duplicate key in the same environment, with nothing written', async () => {
    await createExperimentIn(s, w, 'dup');
    const before = await count();
    const res = await s.post(experimentsPath(w), { name: 'Again', key: 'dup', iteration: iterationBody(w) });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: `An experiment with the key "dup" already exists in environment "production" of project "${w.project}"` });
    expect(await count()).toBe(before);
    expect((await s.get(experimentsPath(w, 'dup'))).body.name).toBe('Experiment dup');
  });

  it('validates again inside its transaction when the flag changed after the validation read it', async () => {
    const before = await count();
    const version = await flagVersion(s, w.project, w.flag);
    beforeNextTransaction(s, () => s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/offVariation', value: 0 }]));
    const res = await s.post(experimentsPath(w), { name: 'Raced', key: 'raced', iteration: iterationBody({ ...w, version }) });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.errors).toContainEqual({
      attribute: `iteration.flags.${w.flag}.flagConfigVersion`,
      reason: `is ${version}, but the current version of flag "${w.flag}" in environment "production" is ${version + 1}`,
    });
    expect(await count()).toBe(before);
  });

  it('400 for an analysisConfig whose values mean nothing, naming each field; nothing is created', async () => {
    const before = await count();
    const res = await s.post(experimentsPath(w), {
      name: 'X',
      key: 'bad-analysis',
      iteration: iterationBody(w),
      methodology: 'frequentist',
      analysisConfig: { significanceThreshold: 'five', bayesianThreshold: '150', testDirection: 'sideways', multipleComparisonCorrectionMethod: 'holm', sequentialTestingEnabled: 'yes' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    const attributes = res.body.errors.map((e: { attribute: string }) => e.attribute);
    expect(attributes).toEqual(
      expect.arrayContaining(['analysisConfig.significanceThreshold', 'analysisConfig.bayesianThreshold', 'analysisConfig.testDirection', 'analysisConfig.multipleComparisonCorrectionMethod', 'analysisConfig.sequentialTestingEnabled']),
    );
    expect(new Set(attributes).size).toBe(attributes.length);
    expect(res.body.message).toContain('analysisConfig.significanceThreshold');
    // At 50% or more a one-sided test has no interval: the level must be below 50%.
    for (const threshold of ['0', '100', '-5', '', '50', '0.5', '99']) {
      const bad = await s.post(experimentsPath(w), { name: 'X', key: 'bad-analysis', iteration: iterationBody(w), analysisConfig: { significanceThreshold: threshold } });
      expect(bad.status, threshold).toBe(400);
    }
    expect(await count()).toBe(before);
  });

  it('404 for an unknown project or environment', async () => {
    expect((await s.post('/api/v2/projects/nope/environments/production/experiments', { name: 'X', key: 'x', iteration: iterationBody(w) })).status).toBe(404);
    expect((await s.post(`/api/v2/projects/${w.project}/environments/nope/experiments`, { name: 'X', key: 'x', iteration: iterationBody(w) })).status).toBe(404);
  });
});
