// Follow flags refused: an unknown project, environment, flag or member is a 404 naming it, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('follow flags errors', () => {
  let s: TestServer;
  let w: World;
  let member: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    member = (await s.get('/api/v2/members/me')).body._id;
  });
  afterAll(() => s.close());

  it('404 for an unknown project, environment, flag or member', async () => {
    const follower = (project: string, flag: string, env: string, id: string) => `/api/v2/projects/${project}/flags/${flag}/environments/${env}/followers/${id}`;
    for (const [path, what] of [
      [follower('nope', w.flag, 'production', member), 'nope'],
      [follower(w.project, w.flag, 'staging', member), 'staging'],
      [follower(w.project, 'no-flag', 'production', member), 'no-flag'],
      [follower(w.project, w.flag, 'production', '000000000000000000000000'), '000000000000000000000000'],
    ]) {
      for (const method of ['PUT', 'DELETE']) {
        const res = await s.request(method, path);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body).toEqual({ code: 'not_found', message: expect.stringContaining(what) });
      }
    }
    expect((await s.get(`/api/v2/projects/${w.project}/flags/no-flag/environments/production/followers`)).status).toBe(404);
    expect((await s.get(`/api/v2/projects/${w.project}/environments/staging/followers`)).status).toBe(404);
    expect((await s.get(`/api/v2/projects/${w.project}/environments/production/followers`)).body.items).toEqual([]);
  });
});
