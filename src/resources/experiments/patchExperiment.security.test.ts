import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
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

  it("custom roles: starting needs no flag action, but a deny on the flag's change (its tags, the environment's) is obeyed; nothing written", async () => {
    await createExperimentIn(s, w, 'guarded');
    const envPath = `/api/v2/projects/${w.project}/environments/${w.env}`;
    expect((await s.patch(envPath, [{ op: 'replace', path: '/tags', value: ['prod'] }])).status).toBe(200);
    try {
      const token = async (deny: object[]) =>
        (
          await s.post('/api/v2/tokens', {
            name: `experiments ${deny.length}`,
            inlineRole: [{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }, { effect: 'allow', resources: ['proj/*:env/*:experiment/*'], actions: ['*'] }, ...deny],
          })
        ).body.token as string;
      const start = { instructions: [{ kind: 'startIteration' }] };
      for (const deny of [
        [{ effect: 'deny', resources: ['proj/*:env/*;prod:flag/*'], actions: ['*'] }],
        [{ effect: 'deny', resources: [`proj/${w.project}:env/${w.env}:flag/${w.flag}`], actions: ['updateFallthrough'] }],
      ]) {
        const denied = await token(deny);
        let status = 0;
        let message = '';
        expect(await changedBy(s.store, async () => ({ status, body: { message } } = await s.patch(experimentsPath(w, 'guarded'), start, { token: denied })))).toBe(false);
        expect(status).toBe(403);
        expect(message).toContain(`deny updateFallthrough on proj/${w.project}:env/${w.env}:flag/${w.flag}`);
      }
      // A deny of what the start does not change, or none at all: the experiment's actions suffice.
      const other = await token([{ effect: 'deny', resources: ['proj/*:env/*:flag/*'], actions: ['updateOn', 'updateRules', 'updateName'] }]);
      const res = await s.patch(experimentsPath(w, 'guarded'), start, { token: other });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } finally {
      expect((await s.patch(envPath, [{ op: 'replace', path: '/tags', value: [] }])).status).toBe(200);
    }
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
