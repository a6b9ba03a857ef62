// putContextFlagSetting security: a token is needed and a reader may not write; a custom role needs updateTargets on
// the flag in that environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('putContextFlagSetting security', () => {
  let s: TestServer;
  let w: World;
  const path = (env: string) => `/api/v2/projects/${w.project}/environments/${env}/contexts/user/ada/flags/${w.flag}`;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('401 without a token; 403 for a reader; 204 for a writer', async () => {
    expect((await s.put(path('production'), { setting: true }, { token: null })).status).toBe(401);
    const reader = await s.put(path('production'), { setting: true }, { token: s.tokens.reader });
    expect(reader.status).toBe(403);
    expect(reader.body.code).toBe('forbidden');
    expect((await s.put(path('production'), { setting: true }, { token: s.tokens.writer })).status).toBe(204);
  });

  it('a custom role with updateTargets in production may set contexts there, not in test', async () => {
    const role = await s.post('/api/v2/roles', {
      key: 'targeter',
      name: 'Targeter',
      policy: [
        { effect: 'allow', resources: [`proj/${w.project}`], actions: ['viewProject'] },
        { effect: 'allow', resources: [`proj/${w.project}:env/production:flag/*`], actions: ['updateTargets'] },
      ],
    });
    expect(role.status).toBe(201);
    const token = (await s.post('/api/v2/tokens', { name: 'targeter', customRoleIds: ['targeter'] })).body.token as string;
    expect((await s.put(path('production'), { setting: false }, { token })).status).toBe(204);
    const refused = await s.put(path('test'), { setting: false }, { token });
    expect(refused.status).toBe(403);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.test.targets).toEqual([]);
  });
});
