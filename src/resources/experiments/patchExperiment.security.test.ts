import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';

describe('patchExperiment: security', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
  });
  afterAll(() => s.close());

  it('401 without a valid token, 403 for readers (nothing changes), 200 for writers', async () => {
    const body = { instructions: [{ kind: 'updateName', value: 'Hacked' }] };
    expect((await s.patch(experimentsPath(w, 'exp'), body, { token: null })).status).toBe(401);
    expect((await s.patch(experimentsPath(w, 'exp'), body, { token: 'sdk-123' })).status).toBe(401);
    expect((await s.patch(experimentsPath(w, 'exp'), body, { token: s.tokens.reader })).status).toBe(403);
    expect((await s.get(experimentsPath(w, 'exp'))).body.name).toBe('Experiment exp');
    expect((await s.patch(experimentsPath(w, 'exp'), body, { token: s.tokens.writer })).status).toBe(200);
  });

  it('X-HTTP-Method-Override tunnels PATCH through POST', async () => {
    const res = await s.request('POST', experimentsPath(w, 'exp'), {
      body: { instructions: [{ kind: 'updateName', value: 'Tunnelled' }] },
      headers: { 'x-http-method-override': 'PATCH' },
    });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Tunnelled');
  });
});
