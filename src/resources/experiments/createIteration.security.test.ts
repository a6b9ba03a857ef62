import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('createIteration: security', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
  });
  afterAll(() => s.close());
  const path = () => `${experimentsPath(w, 'exp')}/iterations`;

  it('401 without a token, with an unknown token, and with an SDK key', async () => {
    const env = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body;
    for (const token of [null, 'api-11111111-2222-3333-4444-555555555555', env.apiKey, env.mobileKey]) {
      const res = await s.post(path(), iterationBody(w), { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    }
  });

  it('403 for a reader token, and nothing is written', async () => {
    const before = (await s.get(`${experimentsPath(w, 'exp')}?expand=draftIteration`)).body.draftIteration._id;
    const res = await s.post(path(), iterationBody(w), { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await s.get(`${experimentsPath(w, 'exp')}?expand=draftIteration`)).body.draftIteration._id).toBe(before);
  });

  it('a revoked token stops working at once', async () => {
    const created = (await s.post('/api/v2/tokens', { name: 'temp', role: 'writer' })).body;
    expect((await s.post(path(), iterationBody(w), { token: created.token })).status).toBe(200);
    expect((await s.del(`/api/v2/tokens/${created._id}`)).status).toBe(204);
    expect((await s.post(path(), iterationBody(w), { token: created.token })).status).toBe(401);
  });
});
