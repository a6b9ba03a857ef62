// getFeatureFlags' filters that read beyond the flags (experiments, the SDKs' evaluations, code references, guarded
// rollouts) and its sort list, as the endpoint's description documents them (contextKindsEvaluated: getFeatureFlags.expand.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, type World } from '../../../test/support/fixtures.js';

describe('getFeatureFlags: filters on experiments, evaluations and code references; sort lists', () => {
  let s: TestServer;
  let w: World;
  let clock = 1_800_000_000_000;
  /** When the SDK's first summary ended. */
  let evaluatedAt = 0;
  const keys = async (query: string) => {
    const res = await s.get(`/api/v2/flags/${w.project}?${query}`);
    expect(res.status, query).toBe(200);
    return (res.body.items as { key: string }[]).map((f) => f.key);
  };

  beforeAll(async () => {
    s = await startServer({ now: () => (clock += 1000) });
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
    for (const [key, tags, temporary] of [['zeta', ['b'], true], ['alpha', ['a', 'c'], false], ['mid', [], true]] as const) {
      expect((await s.post(`/api/v2/flags/${w.project}`, { name: key, key, tags, temporary })).status).toBe(201);
    }
    // An SDK of the application com.example.shop evaluates zeta in production; mid is evaluated by no application.
    const sdkKey = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body.apiKey;
    const at = clock;
    const events = [{ kind: 'summary', startDate: at - 1000, endDate: at, features: { zeta: { default: false, counters: [{ variation: 0, value: true, version: 1, count: 3 }] } } }];
    expect((await s.post('/bulk', events, { token: sdkKey, headers: { 'X-LaunchDarkly-Tags': 'application-id/com.example.shop' } })).status).toBe(202);
    const later = [{ kind: 'summary', startDate: at + 9000, endDate: at + 10_000, features: { mid: { default: false, counters: [{ variation: 0, value: true, version: 1, count: 1 }] } } }];
    expect((await s.post('/bulk', later, { token: sdkKey })).status).toBe(202);
    // Code references: two hunks for alpha, one for the experiment's flag.
    expect((await s.post('/api/v2/code-refs/repositories', { name: 'web', type: 'custom', defaultBranch: 'main' })).status).toBe(200);
    const hunk = (flagKey: string, line: number) => ({ startingLineNumber: line, lines: `ld.variation('${flagKey}')`, projKey: w.project, flagKey });
    const references = [{ path: 'src/a.ts', hint: 'ts', hunks: [hunk('alpha', 1), hunk('alpha', 9), hunk(w.flag, 20)] }];
    expect((await s.put('/api/v2/code-refs/repositories/web/branches/main', { name: 'main', head: 'abc', syncTime: clock, references })).status).toBe(200);
    evaluatedAt = at;
  });
  afterAll(() => s.close());

  it('hasExperiment: the flags an experiment of the project uses, or those none does', async () => {
    expect(await keys('filter=hasExperiment:true')).toEqual([w.flag]);
    expect(await keys('filter=hasExperiment:false')).toEqual(['zeta', 'alpha', 'mid']);
  });

  it('evaluated (with filterEnv): the flags the SDKs evaluated there since a time', async () => {
    const at = evaluatedAt;
    expect(await keys(`filter=${encodeURIComponent(`evaluated:{"after":${at - 5000}},filterEnv:production`)}`)).toEqual(['zeta', 'mid']);
    expect(await keys(`filter=${encodeURIComponent(`evaluated:{"after":${at + 5000}},filterEnv:production`)}`)).toEqual(['mid']);
    expect(await keys(`filter=${encodeURIComponent(`evaluated:{"after":${at - 5000}},filterEnv:test`)}`)).toEqual([]);
  });

  it('applicationEvaluated: the flags an application\'s SDKs evaluated', async () => {
    expect(await keys('filter=applicationEvaluated:com.example.shop')).toEqual(['zeta']);
    expect(await keys('filter=applicationEvaluated:com.example.other')).toEqual([]);
  });

  it('codeReferences.min and .max count the references on the repositories\' default branches', async () => {
    expect(await keys('filter=codeReferences.max:0')).toEqual(['zeta', 'mid']);
    expect(await keys('filter=codeReferences.min:1')).toEqual([w.flag, 'alpha']);
    expect(await keys('filter=codeReferences.min:2')).toEqual(['alpha']);
    expect(await keys('filter=codeReferences.min:1,codeReferences.max:1')).toEqual([w.flag]);
  });

  it('guardedRollout: no flag is in one (iterlab runs no guarded rollout)', async () => {
    expect(await keys('filter=guardedRollout:any')).toEqual([]);
  });

  it('sorts by tags, type and a comma-separated list; targetingModifiedDate by the env named', async () => {
    expect(await keys('sort=tags')).toEqual([w.flag, 'mid', 'alpha', 'zeta']);
    expect(await keys('sort=type,key')).toEqual(['alpha', w.flag, 'mid', 'zeta']);
    expect(await keys('sort=-type,-key')).toEqual(['zeta', 'mid', w.flag, 'alpha']);
    // Targeting changed last in production: the experiment's flag (turned on, then its rule), then zeta.
    expect((await s.patch(`/api/v2/flags/${w.project}/zeta`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    expect((await keys('sort=-targetingModifiedDate&env=production'))[0]).toBe('zeta');
    expect((await keys('sort=targetingModifiedDate&env=production')).at(-1)).toBe('zeta');
  });

  it('400 naming the filter or the sort for values they do not take', async () => {
    const refused: [string, RegExp][] = [
      ['filter=hasExperiment:maybe', /hasExperiment must be true or false/],
      ['filter=evaluated:{"after":1}', /evaluated needs filterEnv/],
      ['filter=evaluated:soon,filterEnv:production', /evaluated must be a JSON object/],
      ['filter=codeReferences.min:-1', /codeReferences.min must be a whole number/],
      ['filter=guardedRollout:sometimes', /guardedRollout must be one of any, monitoring/],
      ['filter=contextKindsEvaluated:user+kind', /"kind" is not a context kind/],
      ['sort=targetingModifiedDate', /targetingModifiedDate needs the env parameter/],
      ['sort=targetingModifiedDate,key&env=production', /cannot be combined/],
      ['sort=key,-color', /cannot sort by "color"/],
    ];
    for (const [query, message] of refused) {
      const res = await s.get(`/api/v2/flags/${w.project}?${query.replace(/[{}"]/g, encodeURIComponent)}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors[0].attribute, query).toMatch(/^(filter|sort)$/);
      expect(res.body.message, query).toMatch(message);
    }
  });
});
