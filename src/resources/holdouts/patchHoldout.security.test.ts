import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld } from '../../../test/support/fixtures.js';
import { createHoldout } from '../../../test/support/holdouts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchHoldout: security', () => {
  let s: TestServer;
  const path = '/api/v2/projects/proj/environments/production/holdouts/q3';
  const rename = (value: string) => ({ instructions: [{ kind: 'updateName', value }] });
  const end = { instructions: [{ kind: 'endHoldout' }] };
  const read = async (p = path) => (await s.get(p, BETA)).body;

  beforeAll(async () => {
    s = await startServer();
    const w = await createWorld(s);
    const other = await createWorld(s, 'other');
    expect((await s.post('/api/v2/projects/proj/environments/production/holdouts', { name: 'Q3', key: 'q3', holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA)).status).toBe(201);
    expect((await s.post('/api/v2/projects/other/environments/production/holdouts', { name: 'Theirs', key: 'theirs', holdoutamount: '10', metrics: [{ key: other.metric }] }, BETA)).status).toBe(201);
  });
  afterAll(() => s.close());

  it('403 without LD-API-Version: beta, whatever other version is sent; nothing changes', async () => {
    const none = await s.patch(path, end);
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
    expect((await s.patch(path, end, { headers: { 'LD-API-Version': '20240415' } })).status).toBe(403);
    expect((await read()).status).toBe('created');
  });

  it('401 without a token or with an unknown one; nothing changes', async () => {
    const none = await s.patch(path, rename('x'), { ...BETA, token: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.patch(path, rename('x'), { ...BETA, token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
    expect((await read()).baseExperiment.name).toBe('Q3');
  });

  it('403 for a reader token, and nothing changes; a writer may patch', async () => {
    for (const body of [rename('Reader'), end]) {
      const res = await s.patch(path, body, { ...BETA, token: s.tokens.reader });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect(res.body.message).toContain('reader');
    }
    expect(await read()).toMatchObject({ status: 'created', baseExperiment: { name: 'Q3' } });
    const writer = await s.patch(path, rename('Writer'), { ...BETA, token: s.tokens.writer });
    expect(writer.status).toBe(200);
    expect(writer.body.baseExperiment.name).toBe('Writer');
  });

  it("another project's holdout cannot be patched through this project", async () => {
    const res = await s.patch('/api/v2/projects/proj/environments/production/holdouts/theirs', end, BETA);
    expect(res.status).toBe(404);
    expect((await read('/api/v2/projects/other/environments/production/holdouts/theirs')).status).toBe('created');
  });

  it('refuses __proto__ in a patch body without polluting anything', async () => {
    const res = await s.request('PATCH', path, { ...BETA, raw: '{"instructions":[{"kind":"updateName","value":"p","__proto__":{"polluted":true}}]}' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await read()).baseExperiment.name).toBe('Writer');
  });

  describe('custom roles', () => {
    const roleToken = async (statements: object[]): Promise<string> => {
      const res = await s.post('/api/v2/tokens', { name: `role ${JSON.stringify(statements).length}`, inlineRole: [{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }, ...statements] });
      expect(res.status).toBe(201);
      return res.body.token;
    };
    beforeAll(async () => {
      await createWorld(s, 'roles');
    });

    it("an experiment made in a holdout needs addExperimentToHoldout on the holdout besides createExperiment", async () => {
      const h = await createHoldout(s, 'roles', 'production', 'joinable', { withoutMember: true });
      const flag = (await s.post('/api/v2/flags/roles', { name: 'Joiner', key: 'joiner' })).body;
      const on = await s.patch('/api/v2/flags/roles/joiner', [{ op: 'replace', path: '/environments/production/on', value: true }]);
      const body = (key: string) => ({
        name: key,
        key,
        holdoutId: h.holdoutId,
        iteration: {
          hypothesis: 'It lifts the metric',
          metrics: [{ key: h.metricKey }],
          primarySingleMetricKey: h.metricKey,
          randomizationUnit: 'user',
          treatments: flag.variations.map((v: { _id: string }, i: number) => ({ name: `T${i}`, baseline: i === 0, allocationPercent: '50', parameters: [{ flagKey: 'joiner', variationId: v._id }] })),
          flags: { joiner: { ruleId: 'fallthrough', flagConfigVersion: on.body.environments.production.version } },
        },
      });
      const experiments = '/api/v2/projects/roles/environments/production/experiments';
      const experimentsOnly = await roleToken([{ effect: 'allow', resources: ['proj/*:env/*:experiment/*'], actions: ['*'] }]);
      let res = { status: 0, body: { message: '' } };
      expect(await changedBy(s.store, async () => (res = await s.post(experiments, body('refused'), { token: experimentsOnly })))).toBe(false);
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('addExperimentToHoldout on proj/roles:env/production:holdout/joinable');
      const joiner = await roleToken([
        { effect: 'allow', resources: ['proj/*:env/*:experiment/*'], actions: ['*'] },
        { effect: 'allow', resources: ['proj/roles:env/production:holdout/joinable'], actions: ['addExperimentToHoldout'] },
      ]);
      const made = await s.post(experiments, body('joined'), { token: joiner });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body.holdoutId).toBe(h.holdoutId);
    });

    it("renaming a holdout through its base experiment asks what patchHoldout asks: updateHoldoutName on the holdout", async () => {
      await createHoldout(s, 'roles', 'production', 'named', { withoutMember: true });
      const base = '/api/v2/projects/roles/environments/production/experiments/named';
      const rename = { instructions: [{ kind: 'updateName', value: 'Renamed' }] };
      const experimentsOnly = await roleToken([{ effect: 'allow', resources: ['proj/*:env/*:experiment/*'], actions: ['*'] }]);
      let res = { status: 0, body: { message: '' } };
      expect(await changedBy(s.store, async () => (res = await s.patch(base, rename, { token: experimentsOnly })))).toBe(false);
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('updateHoldoutName on proj/roles:env/production:holdout/named');
      const namer = await roleToken([
        { effect: 'allow', resources: ['proj/*:env/*:experiment/*'], actions: ['*'] },
        { effect: 'allow', resources: ['proj/*:env/*:holdout/named'], actions: ['updateHoldoutName'] },
      ]);
      const renamed = await s.patch(base, rename, { token: namer });
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
      expect((await read('/api/v2/projects/roles/environments/production/holdouts/named')).baseExperiment.name).toBe('Renamed');
    });

    it("ending a holdout obeys a deny on the flag changes it makes (its flag's, its experiments'); nothing written", async () => {
      await createHoldout(s, 'roles', 'production', 'ending', { start: true });
      const endPath = '/api/v2/projects/roles/environments/production/holdouts/ending';
      const holdoutsOnly = [{ effect: 'allow', resources: ['proj/*:env/*:holdout/*'], actions: ['*'] }];
      const denied = await roleToken([...holdoutsOnly, { effect: 'deny', resources: ['proj/*:env/production:flag/*'], actions: ['*'] }]);
      let res = { status: 0, body: { message: '' } };
      expect(await changedBy(s.store, async () => (res = await s.patch(endPath, end, { ...BETA, token: denied })))).toBe(false);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/deny update\w+ on proj\/roles:env\/production:flag\//);
      const allowed = await roleToken(holdoutsOnly);
      const ended = await s.patch(endPath, end, { ...BETA, token: allowed });
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
      expect(ended.body.status).toBe('ended');
    });
  });
});
