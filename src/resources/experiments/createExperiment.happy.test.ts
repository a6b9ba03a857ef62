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
    expect(read.analysisConfig).toEqual({ significanceThreshold: '5', multipleComparisonCorrectionMethod: 'bonferroni' });
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
