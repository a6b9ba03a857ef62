// Results count the events of the experiment's own environment only, and need a reader token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getExperimentResults security', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w);
    const started = await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status).toBe(200);
  });
  afterAll(() => s.close());

  it('exposures sent with another environment\'s key are not this experiment\'s', async () => {
    const flag = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body;
    const now = Date.now();
    const exposure = (unit: string) => ({ kind: 'feature', key: w.flag, creationDate: now, variation: 0, value: flag.variations[0].value, reason: { kind: 'FALLTHROUGH', inExperiment: true }, context: { kind: 'user', key: unit } });
    expect((await s.post('/bulk', [exposure('in-test-env')], { token: await sdkKeyOf(s, w.project, 'test') })).status).toBe(202);
    expect((await s.post('/bulk', [exposure('in-production')], { token: await sdkKeyOf(s, w.project, 'production') })).status).toBe(202);
    const res = await s.get(`${experimentsPath(w, 'checkout-exp')}/metrics/${w.metric}/results?expand=traffic`, { token: s.tokens.reader });
    expect(res.status).toBe(200);
    expect(res.body.treatmentResults.map((t: { traffic: number }) => t.traffic)).toEqual([1, 0]);
  });

  it('401 without a token; an SDK key is no token', async () => {
    const path = `${experimentsPath(w, 'checkout-exp')}/metrics/${w.metric}/results`;
    expect((await s.get(path, { token: null })).status).toBe(401);
    expect((await s.get(path, { token: await sdkKeyOf(s, w.project) })).status).toBe(401);
  });
});
