// GET /sdk/poll isolation: a key is answered its own environment's flags, never another environment's or project's,
// and a basis copied from another environment is not current in this one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const objects = (body: any) => Object.fromEntries(body.events.filter((e: any) => e.event === 'put-object').map((e: any) => [e.data.key, e.data.object]));

describe('GET /sdk/poll security', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createWorld(s, 'other');
    await s.post('/api/v2/flags/other', { key: 'secret-flag', name: 'Secret' });
  });
  afterAll(() => s.close());

  it('each key gets its own environment, and another\'s state is stale here', async () => {
    const production = await s.get('/sdk/poll', { token: await sdkKeyOf(s, w.project, 'production') });
    const test = await s.get('/sdk/poll', { token: await sdkKeyOf(s, w.project, 'test') });
    expect(objects(production.body)[w.flag].on).toBe(true);
    expect(objects(test.body)[w.flag].on).toBe(false);
    const other = await s.get('/sdk/poll', { token: await sdkKeyOf(s, 'other') });
    expect(Object.keys(objects(other.body)).sort()).toEqual([w.flag, 'secret-flag']);
    expect(JSON.stringify(production.body)).not.toContain('secret-flag');
    const productionState = production.body.events.at(-1).data.state;
    const asTest = await s.get(`/sdk/poll?basis=${encodeURIComponent(productionState)}`, { token: await sdkKeyOf(s, w.project, 'test') });
    expect(asTest.body.events[0].data.payloads[0]).toMatchObject({ intentCode: 'xfer-full', reason: 'stale' });
  });
});
