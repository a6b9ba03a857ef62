// GET /sdk/latest-all isolation: a key is answered its own environment's flags, never another environment's or
// project's, and an access token is no SDK key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('GET /sdk/latest-all security', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createWorld(s, 'other');
    await s.post('/api/v2/flags/other', { key: 'secret-flag', name: 'Secret' });
  });
  afterAll(() => s.close());

  it('each key gets its own environment: targeting differs between production and test, other projects never show', async () => {
    const production = await s.get('/sdk/latest-all', { token: await sdkKeyOf(s, w.project, 'production') });
    const test = await s.get('/sdk/latest-all', { token: await sdkKeyOf(s, w.project, 'test') });
    expect(Object.keys(production.body.flags)).toEqual([w.flag]);
    expect(Object.keys(test.body.flags)).toEqual([w.flag]);
    expect(production.body.flags[w.flag].on).toBe(true);
    expect(test.body.flags[w.flag].on).toBe(false);
    expect(production.body.flags[w.flag].salt).not.toBe(test.body.flags[w.flag].salt);
    const other = await s.get('/sdk/latest-all', { token: await sdkKeyOf(s, 'other') });
    expect(Object.keys(other.body.flags).sort()).toEqual([w.flag, 'secret-flag']);
    expect(JSON.stringify(production.body)).not.toContain('secret-flag');
  });

  it('access tokens of every role are refused', async () => {
    for (const token of Object.values(s.tokens)) expect((await s.get('/sdk/latest-all', { token })).status).toBe(401);
  });
});
