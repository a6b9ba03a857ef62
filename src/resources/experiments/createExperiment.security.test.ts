import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createWorld, experimentsPath, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('createExperiment: security', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('401 without a valid token, 403 for a reader, 201 for a writer', async () => {
    const body = { name: 'S', key: 's', iteration: iterationBody(w) };
    expect((await s.post(experimentsPath(w), body, { token: null })).status).toBe(401);
    expect((await s.post(experimentsPath(w), body, { token: 'nope' })).status).toBe(401);
    const reader = await s.post(experimentsPath(w), body, { token: s.tokens.reader });
    expect(reader.status).toBe(403);
    expect((await s.get(experimentsPath(w, 's'))).status).toBe(404);
    const writer = await s.post(experimentsPath(w), body, { token: s.tokens.writer });
    expect(writer.status).toBe(201);
    // the maintainer defaults to the member behind the token
    expect(writer.body._maintainerId).toBe((await s.get('/api/v2/tokens')).body.items[0].memberId);
  });
});
