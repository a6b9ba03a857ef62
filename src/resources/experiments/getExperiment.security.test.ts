import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';

describe('getExperiment: security', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
  });
  afterAll(() => s.close());

  it('401 without a valid token; every role may read', async () => {
    expect((await s.get(experimentsPath(w, 'exp'), { token: null })).status).toBe(401);
    expect((await s.get(experimentsPath(w, 'exp'), { token: 'api-x' })).status).toBe(401);
    for (const role of ['reader', 'writer', 'admin'] as const) expect((await s.get(experimentsPath(w, 'exp'), { token: s.tokens[role] })).status).toBe(200);
  });
});
