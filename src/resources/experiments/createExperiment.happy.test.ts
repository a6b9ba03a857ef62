import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createWorld, experimentsPath, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('createExperiment: happy path', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('creates the experiment with its first iteration as a draft shown as currentIteration (201)', async () => {
    const res = await s.post(experimentsPath(w), { name: 'Checkout test', key: 'checkout', description: 'Green or not', iteration: iterationBody(w), tags: ['web'] });
    expect(res.status).toBe(201);
    const exp = res.body;
    expect(exp).toMatchObject({
      key: 'checkout',
      name: 'Checkout test',
      description: 'Green or not',
      environmentKey: 'production',
      methodology: 'bayesian',
      dataSource: 'launchdarkly',
      type: 'experiment',
      tags: ['web'],
    });
    expect(exp._id).toMatch(/^[0-9a-f]{24}$/);
    expect(exp._maintainerId).toMatch(/^[0-9a-f]{24}$/);
    expect(exp._creationDate).toEqual(expect.any(Number));
    expect(exp.archivedDate).toBeUndefined();
    expect(exp._links).toEqual({
      parent: { href: `/api/v2/projects/${w.project}/environments/production`, type: 'application/json' },
      self: { href: `/api/v2/projects/${w.project}/environments/production/experiments/checkout`, type: 'application/json' },
    });
    expect(exp.currentIteration).toMatchObject({ status: 'not_started', hypothesis: 'The green button lifts checkout completion' });
    expect(exp.currentIteration.treatments).toBeUndefined();
    const read = (await s.get(experimentsPath(w, 'checkout'))).body;
    expect(read.currentIteration._id).toBe(exp.currentIteration._id);
  });

  it('records the given maintainer and analysis settings', async () => {
    const me = (await s.get('/api/v2/tokens')).body.items[0].memberId;
    const res = await s.post(experimentsPath(w), {
      name: 'B',
      key: 'b',
      maintainerId: me,
      methodology: 'frequentist',
      analysisConfig: { significanceThreshold: '5', multipleComparisonCorrectionMethod: 'bonferroni' },
      iteration: iterationBody(w),
    });
    expect(res.status).toBe(201);
    expect(res.body._maintainerId).toBe(me);
    expect(res.body.methodology).toBe('frequentist');
    const read = (await s.get(`${experimentsPath(w, 'b')}?expand=analysisConfig`)).body;
    // AnalysisConfigRep documents the threshold as a fraction ("between 0.0-1.0"); the input's example gives a percent.
    expect(read.analysisConfig).toEqual({ significanceThreshold: '0.05', multipleComparisonCorrectionMethod: 'bonferroni' });
  });

  it('significanceThreshold, given as a percent or as a fraction, is shown as the fraction AnalysisConfigRep documents; the rest as given', async () => {
    const cases: [string, string][] = [
      ['5', '0.05'],
      ['0.05', '0.05'],
      ['1.1', '0.011'],
      ['10', '0.1'],
      ['0.0000001', '0.0000001'],
    ];
    for (const [i, [given, shown]] of cases.entries()) {
      const key = `threshold-${i}`;
      const analysisConfig = { significanceThreshold: given, testDirection: 'two-sided', sequentialTestingEnabled: true };
      const res = await s.post(experimentsPath(w), { name: key, key, methodology: 'frequentist', analysisConfig, iteration: iterationBody(w) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const read = (await s.get(`${experimentsPath(w, key)}?expand=analysisConfig`)).body;
      expect(read.analysisConfig, given).toEqual({ ...analysisConfig, significanceThreshold: shown });
    }
    // updateExperimentFields: likewise.
    const patched = await s.patch(`${experimentsPath(w, 'threshold-0')}?expand=analysisConfig`, {
      instructions: [{ kind: 'updateExperimentFields', value: { analysisConfig: { operation: 'update', value: { significanceThreshold: '2.5' } } } }],
    });
    expect(patched.status).toBe(200);
    expect((await s.get(`${experimentsPath(w, 'threshold-0')}?expand=analysisConfig`)).body.analysisConfig).toEqual({ significanceThreshold: '0.025' });
  });

  it('the same key may exist in another environment', async () => {
    const version = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.test.version;
    const res = await s.post(`/api/v2/projects/${w.project}/environments/test/experiments`, {
      name: 'Checkout test',
      key: 'checkout',
      iteration: iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: version } } }),
    });
    expect(res.status).toBe(201);
    expect(res.body.environmentKey).toBe('test');
  });
});
