// GET /all isolation: an SDK key sees only its own environment, cannot call the REST API, and stops working (its open
// streams ended) once the key is reset or the environment deleted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { expectEnvironmentDeletionEndsStreams, expectKeyResetEndsStreams, expectOwnEnvironmentOnly, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('GET /all security', () => {
  let s: TestServer;
  let w: World;
  beforeEach(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterEach(() => s.close());

  it('an SDK key is served its own environment only', async () => {
    await expectOwnEnvironmentOnly(s, w.project, w.flag);
  });

  it('an SDK key is not an access token: the REST API answers 401', async () => {
    const res = await s.get('/api/v2/projects', { token: await sdkKeyOf(s, w.project) });
    expect(res.status).toBe(401);
  });

  it('resetting the SDK key ends the streams opened with the old one; the old key is then refused', async () => {
    await expectKeyResetEndsStreams(s, w.project);
  });

  it('deleting the environment ends its streams', async () => {
    await expectEnvironmentDeletionEndsStreams(s, w.project);
  });
});
