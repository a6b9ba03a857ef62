// putContextFlagSetting refused: a setting that is no variation's value, a body that is not an object, a comment that
// is not text or a context kind that cannot be are 400s naming what is wrong; unknown project, environment or flag
// are 404s; nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, flagVersion, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('putContextFlagSetting errors', () => {
  let s: TestServer;
  let w: World;
  const path = (kind = 'user', key = 'ada', env = 'production', flag?: string, project?: string) =>
    `/api/v2/projects/${project ?? w.project}/environments/${env}/contexts/${kind}/${key}/flags/${flag ?? w.flag}`;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('400 naming the problem, and the flag unchanged', async () => {
    const version = await flagVersion(s, w.project, w.flag);
    for (const [body, name, kind] of [
      [{ setting: 'yes' }, 'setting', 'user'],
      [{ setting: 1 }, 'setting', 'user'],
      [[{ setting: true }], 'body', 'user'],
      [{ setting: true, comment: 5 }, 'comment', 'user'],
      [{ setting: true }, 'contextKind', 'multi'],
      [{ setting: true }, 'contextKind', 'bad%20kind'],
    ] as const) {
      const res = await s.put(path(kind), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message, JSON.stringify(body)).toContain(name);
    }
    // An empty context key is named as the path's, not as an instruction's.
    const empty = await s.put(path('user', ''), { setting: true });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('contextKey') });
    expect(await flagVersion(s, w.project, w.flag)).toBe(version);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.targets).toEqual([]);
  });

  it('404 for an unknown project, environment or flag', async () => {
    for (const p of [path('user', 'ada', 'production', w.flag, 'nope'), path('user', 'ada', 'staging'), path('user', 'ada', 'production', 'no-flag')]) {
      const res = await s.put(p, { setting: true });
      expect(res.status, p).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });
});
