// POST /bulk and /diagnostic need an environment's SDK key; events are stored for that environment only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('POST /bulk security', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  const events = [{ kind: 'custom', key: 'checkout', creationDate: 1, context: { kind: 'user', key: 'u' } }];

  it('401 without a key, with an unknown key and with a REST access token; nothing stored', async () => {
    for (const path of ['/bulk', '/diagnostic']) {
      for (const token of [null, 'sdk-unknown', s.tokens.admin]) {
        const res = await s.post(path, events, { token });
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    }
    expect(await s.store.db.selectFrom('sdk_events').select('id').execute()).toEqual([]);
  });

  it('events are stored for the environment whose key sent them', async () => {
    const environments = (await s.get(`/api/v2/projects/${w.project}/environments`)).body.items as { _id: string; key: string }[];
    await s.post('/bulk', events, { token: await sdkKeyOf(s, w.project, 'test') });
    const rows = await s.store.db.selectFrom('sdk_events').select('environment_id').execute();
    expect(rows.map((r) => r.environment_id)).toEqual([environments.find((e) => e.key === 'test')!._id]);
  });
});
