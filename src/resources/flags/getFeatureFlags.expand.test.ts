// The flag reads' expansions (getFeatureFlag and getFeatureFlags): `expand=evaluation` (in each environment shown, the
// context kinds the SDKs evaluated the flag for in the past 30 days), `expand=codeReferences` (the code references'
// statistics, per repository), and the list's `filter=contextKindsEvaluated`; bad values are 400s naming the parameter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShop, DAY } from '../../../test/support/flagStatuses.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const TODAY = Date.UTC(2025, 5, 1);
const STATISTICS_LINK = { self: { href: '/api/v2/code-refs/statistics/shop', type: 'application/json' } };

describe('flag reads: expand=evaluation|codeReferences, filter=contextKindsEvaluated', () => {
  let s: TestServer;
  const now = TODAY + 12 * 60 * 60 * 1000;

  beforeAll(async () => {
    s = await startServer({ now: () => now });
    await createShop(s);
    for (const key of ['alpha', 'beta', 'gamma']) expect((await s.post('/api/v2/flags/shop', { name: key, key })).status).toBe(201);
    const summary = (endDate: number, features: Record<string, string[]>) => ({
      kind: 'summary',
      startDate: endDate - 1000,
      endDate,
      features: Object.fromEntries(Object.entries(features).map(([key, contextKinds]) => [key, { default: false, contextKinds, counters: [] }])),
    });
    // production: alpha by users and devices today; beta by an org 30 days ago (still counted), gamma 31 days ago (not).
    const production = [summary(TODAY + 1000, { alpha: ['user', 'device'] }), summary(TODAY - 30 * DAY + 1000, { beta: ['org'] }), summary(TODAY - 31 * DAY + 1000, { gamma: ['user'] })];
    expect((await s.post('/bulk', production, { token: await sdkKeyOf(s, 'shop') })).status).toBe(202);
    // staging: alpha by an org (a feature event's multi-context).
    const staging = [{ kind: 'feature', creationDate: TODAY, key: 'alpha', context: { kind: 'multi', org: { key: 'acme' } }, value: true }];
    expect((await s.post('/bulk', staging, { token: await sdkKeyOf(s, 'shop', 'staging') })).status).toBe(202);
    // Code references: alpha in web (two hunks in two files) and api (one); a branch other than the default does not count.
    const hunk = (flagKey: string, line: number) => ({ startingLineNumber: line, lines: `ld.variation('${flagKey}')`, projKey: 'shop', flagKey });
    for (const name of ['web', 'api']) expect((await s.post('/api/v2/code-refs/repositories', { name, type: 'custom', defaultBranch: 'main' })).status).toBe(200);
    const web = [
      { path: 'src/a.ts', hunks: [hunk('alpha', 1)] },
      { path: 'src/b.ts', hunks: [hunk('alpha', 7)] },
    ];
    expect((await s.put('/api/v2/code-refs/repositories/web/branches/main', { name: 'main', head: 'a1', syncTime: now, references: web })).status).toBe(200);
    expect((await s.put('/api/v2/code-refs/repositories/api/branches/main', { name: 'main', head: 'b1', syncTime: now, references: [{ path: 'x.go', hunks: [hunk('alpha', 3)] }] })).status).toBe(200);
    const feature = [{ path: 'y.go', hunks: [hunk('beta', 3)] }];
    expect((await s.put('/api/v2/code-refs/repositories/api/branches/feature', { name: 'feature', head: 'b2', syncTime: now, references: feature })).status).toBe(200);
  });
  afterAll(() => s.close());

  const get = async (path: string) => {
    const res = await s.get(path);
    expect(res.status, path).toBe(200);
    return res.body;
  };
  const kindsByEnv = (flag: { environments: Record<string, { evaluation?: unknown }> }) =>
    Object.fromEntries(Object.entries(flag.environments).map(([env, config]) => [env, config.evaluation]));

  it('getFeatureFlag: expand=evaluation shows, in each environment, the kinds evaluated in the past 30 days', async () => {
    expect(kindsByEnv(await get('/api/v2/flags/shop/alpha?expand=evaluation'))).toEqual({
      production: { contextKinds: ['device', 'user'] },
      staging: { contextKinds: ['org'] },
    });
    expect(kindsByEnv(await get('/api/v2/flags/shop/beta?expand=evaluation&env=production'))).toEqual({ production: { contextKinds: ['org'] } });
    // Evaluated 31 days ago only: none within the window.
    expect(kindsByEnv(await get('/api/v2/flags/shop/gamma?expand=evaluation'))).toEqual({ production: { contextKinds: [] }, staging: { contextKinds: [] } });
    // Not asked for: not shown.
    expect(kindsByEnv(await get('/api/v2/flags/shop/alpha'))).toEqual({ production: undefined, staging: undefined });
  });

  it('getFeatureFlag: expand=codeReferences shows the statistics of each repository whose default branch refers to the flag', async () => {
    const alpha = await get('/api/v2/flags/shop/alpha?expand=codeReferences,evaluation&env=production');
    expect(alpha.codeReferences._links).toEqual(STATISTICS_LINK);
    expect(alpha.codeReferences.items.map((r: Record<string, unknown>) => [r.name, r.hunkCount, r.fileCount, r.defaultBranch])).toEqual([
      ['api', 1, 1, 'main'],
      ['web', 2, 2, 'main'],
    ]);
    expect(alpha.codeReferences.items[1]._links).toEqual({ self: { href: '/api/v2/code-refs/repositories/web', type: 'application/json' } });
    expect(kindsByEnv(alpha)).toEqual({ production: { contextKinds: ['device', 'user'] } });
    // beta is referred to on a branch that is not the default only.
    expect((await get('/api/v2/flags/shop/beta?expand=codeReferences')).codeReferences).toEqual({ _links: STATISTICS_LINK, items: [] });
    expect((await get('/api/v2/flags/shop/alpha')).codeReferences).toBeUndefined();
  });

  it('getFeatureFlags: the expansions for every flag of the page, in the environments shown', async () => {
    const list = await get('/api/v2/flags/shop?env=production&expand=evaluation,codeReferences&sort=key');
    expect(list.items.map((f: { key: string }) => f.key)).toEqual(['alpha', 'beta', 'gamma']);
    expect(list.items.map(kindsByEnv)).toEqual([
      { production: { contextKinds: ['device', 'user'] } },
      { production: { contextKinds: ['org'] } },
      { production: { contextKinds: [] } },
    ]);
    expect(list.items.map((f: { codeReferences: { items: { name: string }[] } }) => f.codeReferences.items.map((r) => r.name))).toEqual([['api', 'web'], [], []]);
    // Without env the list shows no environments, so evaluation adds nothing; codeReferences is the flag's own.
    const plain = await get('/api/v2/flags/shop?expand=evaluation,codeReferences&sort=key');
    expect(plain.items.map((f: Record<string, unknown>) => [f.environments, (f.codeReferences as { items: unknown[] }).items.length])).toEqual([
      [undefined, 2],
      [undefined, 0],
      [undefined, 0],
    ]);
    expect((await get('/api/v2/flags/shop?env=staging')).items.every((f: { environments: { staging: object } }) => !('evaluation' in f.environments.staging) && !('codeReferences' in f))).toBe(true);
    // The page links keep the expansion.
    const paged = await get('/api/v2/flags/shop?env=production&expand=evaluation&sort=key&limit=1');
    expect(paged.items[0].environments.production.evaluation).toEqual({ contextKinds: ['device', 'user'] });
    expect(new URL(paged._links.next.href, 'http://x').searchParams.get('expand')).toBe('evaluation');
  });

  it('filter=contextKindsEvaluated: flags evaluated in the past 30 days for every kind listed (in filterEnv, or any environment)', async () => {
    const keys = async (filter: string) => (await get(`/api/v2/flags/shop?sort=key&filter=${encodeURIComponent(filter)}`)).items.map((f: { key: string }) => f.key);
    expect(await keys('contextKindsEvaluated:user')).toEqual(['alpha']);
    expect(await keys('contextKindsEvaluated:user+device')).toEqual(['alpha']);
    expect(await keys('contextKindsEvaluated:org')).toEqual(['alpha', 'beta']);
    expect(await keys('contextKindsEvaluated:org,filterEnv:production')).toEqual(['beta']);
    expect(await keys('contextKindsEvaluated:org,filterEnv:staging')).toEqual(['alpha']);
    // Kinds evaluated in different environments count together without filterEnv; an unencoded + arrives as a space.
    expect(await keys('contextKindsEvaluated:user org')).toEqual(['alpha']);
    expect(await keys('contextKindsEvaluated:user+org,filterEnv:production')).toEqual([]);
    expect(await keys('contextKindsEvaluated:device,codeReferences.min:1')).toEqual(['alpha']);
  });

  it('an expansion flags do not have is ignored; the others still apply', async () => {
    const one = await s.get('/api/v2/flags/shop/alpha?expand=evaluation,colour&env=production');
    expect(one.status).toBe(200);
    expect(one.body.environments.production.evaluation).toBeDefined();
    expect(one.body).not.toHaveProperty('colour');
    const list = await s.get('/api/v2/flags/shop?expand=targets&env=production');
    expect(list.status).toBe(200);
    expect(list.body.items.every((f: { environments: Record<string, object> }) => !('evaluation' in f.environments.production))).toBe(true);
  });

  it('400 naming filter for values it does not take', async () => {
    const refused: [string, string, RegExp][] = [
      ['/api/v2/flags/shop?filter=contextKindsEvaluated:', 'filter', /contextKindsEvaluated must list context kinds/],
      ['/api/v2/flags/shop?filter=contextKindsEvaluated:user%2Bmulti', 'filter', /contextKindsEvaluated: "multi" is not a context kind/],
      ['/api/v2/flags/shop?filter=contextKindsEvaluated:us%24er', 'filter', /contextKindsEvaluated: "us\$er" is not a context kind/],
    ];
    for (const [path, attribute, message] of refused) {
      const res = await s.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.code, path).toBe('invalid_request');
      expect(res.body.errors[0].attribute, path).toBe(attribute);
      expect(res.body.message, path).toMatch(message);
    }
    // An unknown project or flag is still a 404 with an expansion asked for.
    expect((await s.get('/api/v2/flags/shop/nope?expand=evaluation')).status).toBe(404);
    expect((await s.get('/api/v2/flags/nope?expand=codeReferences')).status).toBe(404);
  });
});
