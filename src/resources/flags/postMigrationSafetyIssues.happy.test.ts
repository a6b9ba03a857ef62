// postMigrationSafetyIssues: a semantic patch of a flag in the path's environment, judged on a dry run. A migration
// flag's patch that moves contexts out of `complete`, or from `off` straight to a stage where the new system is
// authoritative, answers 200 with the issues (MigrationSafetyIssueRep); a safe one, or any patch of a flag that is not
// a migration flag, answers 204. Asking changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMigrationSafetyIssues', () => {
  let s: TestServer;
  const issuesOf = (flag: string) => `/api/v2/projects/shop/flags/${flag}/environments/production/migration-safety-issues`;
  /** The flag's variation ids by stage. */
  const stages = async (flag: string): Promise<Record<string, string>> =>
    Object.fromEntries(((await s.get(`/api/v2/flags/shop/${flag}`)).body.variations as { _id: string; value: string }[]).map((v) => [v.value, v._id]));
  const all = (id: string) => ({ rolloutWeights: { [id]: 100000 }, rolloutContextKind: 'user' });
  const change = async (flag: string, instructions: unknown[]) => {
    const res = await s.patch(`/api/v2/flags/shop/${flag}`, { environmentKey: 'production', instructions });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const ask = async (flag: string, instructions: unknown[]) => {
    let res: { status: number; body: any } | undefined;
    expect(await changedBy(s.store, async () => (res = await s.post(issuesOf(flag), { comment: 'what if', instructions })))).toBe(false);
    return res!;
  };

  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'orders-db', name: 'Orders DB', purpose: 'migration', migrationSettings: { stageCount: 6, contextKind: 'user' } })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'switch', name: 'Switch', purpose: 'migration', migrationSettings: { stageCount: 2 } })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('a flag that is not a migration flag: 204 for a patch of its targeting, and nothing changes', async () => {
    const variation = (await s.get('/api/v2/flags/shop/checkout')).body.variations[0]._id;
    const res = await ask('checkout', [{ kind: 'turnFlagOn' }, { kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [variation]: 100000 } }]);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
  });

  it('in the semantic patch content type too', async () => {
    const res = await s.request('POST', issuesOf('checkout'), { raw: JSON.stringify({ instructions: [{ kind: 'turnFlagOff' }] }), headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } });
    expect(res.status).toBe(204);
  });

  it('a flag that is off is judged as configured: its default cohort straight from off to complete', async () => {
    expect((await s.post('/api/v2/flags/shop', { key: 'search-index', name: 'Search index', purpose: 'migration', migrationSettings: { stageCount: 4 } })).status).toBe(201);
    const ids = await stages('search-index');
    const res = await ask('search-index', [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [ids.complete]: 100000 } }]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ causingRuleId: 'fallthrough', affectedRuleIds: ['fallthrough'], issue: expect.stringContaining('off to complete'), oldSystemAffected: false }]);
    expect((await ask('search-index', [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [ids.shadow]: 100000 } }])).status).toBe(204);
  });

  it('a migration flag stepped through its stages one at a time: 204 at each step', async () => {
    const ids = await stages('orders-db');
    expect((await ask('orders-db', [{ kind: 'turnFlagOn' }])).status).toBe(204);
    await change('orders-db', [{ kind: 'turnFlagOn' }]);
    for (const stage of ['dualwrite', 'shadow', 'live', 'rampdown', 'complete']) {
      const res = await ask('orders-db', [{ kind: 'updateFallthroughVariationOrRollout', ...all(ids[stage]) }]);
      expect(res.status, `${stage}: ${JSON.stringify(res.body)}`).toBe(204);
      await change('orders-db', [{ kind: 'updateFallthroughVariationOrRollout', ...all(ids[stage]) }]);
    }
    // A step back while both systems are written is safe too (from complete it is not: below).
    await change('orders-db', [{ kind: 'updateFallthroughVariationOrRollout', ...all(ids.rampdown) }]);
    expect((await ask('orders-db', [{ kind: 'updateFallthroughVariationOrRollout', ...all(ids.dualwrite) }])).status).toBe(204);
    await change('orders-db', [{ kind: 'updateFallthroughVariationOrRollout', ...all(ids.complete) }]);
  });

  it('contexts moved out of complete: the old system is affected, named by the default cohort', async () => {
    const ids = await stages('orders-db');
    const back = await ask('orders-db', [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [ids.live]: 40000, [ids.complete]: 60000 }, rolloutContextKind: 'user' }]);
    expect(back.status).toBe(200);
    expect(back.body).toEqual([{ causingRuleId: 'fallthrough', affectedRuleIds: ['fallthrough'], issue: expect.stringContaining('complete to live'), oldSystemAffected: true }]);
    // Turning the flag off serves everyone `off`.
    const off = await ask('orders-db', [{ kind: 'turnFlagOff' }]);
    expect(off.status).toBe(200);
    expect(off.body).toEqual([{ causingRuleId: 'fallthrough', affectedRuleIds: ['fallthrough'], issue: expect.stringContaining('complete to off'), oldSystemAffected: true }]);
  });

  it('rules: one removed gives its contexts to the cohorts below it, one added takes them from those', async () => {
    const ids = await stages('orders-db');
    // The default cohort back at off (stepping down through the written stages), a cohort at complete above it.
    for (const stage of ['rampdown', 'live', 'shadow', 'dualwrite', 'off']) await change('orders-db', [{ kind: 'updateFallthroughVariationOrRollout', ...all(ids[stage]) }]);
    const clauses = [{ contextKind: 'user', attribute: 'country', op: 'in', values: ['nz'], negate: false }];
    const flag = await change('orders-db', [{ kind: 'addRule', clauses, ...all(ids.complete) }]);
    const ruleId = flag.environments.production.rules[0]._id;

    const removed = await ask('orders-db', [{ kind: 'removeRule', ruleId }]);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual([{ causingRuleId: ruleId, affectedRuleIds: ['fallthrough'], issue: expect.stringContaining('complete to off'), oldSystemAffected: true }]);

    const added = await ask('orders-db', [{ kind: 'addRule', clauses: [{ contextKind: 'user', attribute: 'plan', op: 'in', values: ['pro'], negate: false }], beforeRuleId: ruleId, ...all(ids.live) }]);
    expect(added.status).toBe(200);
    // The new rule takes contexts from the cohort at complete and the default cohort at off: both unsafe.
    expect(added.body).toEqual([
      { causingRuleId: expect.any(String), affectedRuleIds: [ruleId], issue: expect.stringContaining('complete to live'), oldSystemAffected: true },
      { causingRuleId: expect.any(String), affectedRuleIds: ['fallthrough'], issue: expect.stringContaining('off to live'), oldSystemAffected: false },
    ]);
    expect(added.body[0].causingRuleId).not.toBe(ruleId);
    expect((await s.get('/api/v2/flags/shop/orders-db')).body.environments.production.rules).toHaveLength(1);

    // A rule whose own stages move on safely, and a reorder of nothing: 204.
    expect((await ask('orders-db', [{ kind: 'updateRuleVariationOrRollout', ruleId, ...all(ids.complete) }, { kind: 'updateRuleDescription', ruleId, description: 'New Zealand' }])).status).toBe(204);
  });

  it('a two-stage migration switches straight over; switching back affects the old system', async () => {
    const ids = await stages('switch');
    await change('switch', [{ kind: 'turnFlagOn' }]);
    expect((await ask('switch', [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [ids.complete]: 100000 } }])).status).toBe(204);
    await change('switch', [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [ids.complete]: 100000 } }]);
    const back = await ask('switch', [{ kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { [ids.off]: 100000 } }]);
    expect(back.status).toBe(200);
    expect(back.body).toEqual([{ causingRuleId: 'fallthrough', affectedRuleIds: ['fallthrough'], issue: expect.stringContaining('complete to off'), oldSystemAffected: true }]);
  });

  it('a patch that changes nothing: 204', async () => {
    expect((await ask('switch', [{ kind: 'turnFlagOn' }])).status).toBe(204);
  });
});
