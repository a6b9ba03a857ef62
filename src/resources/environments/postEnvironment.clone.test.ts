import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, evaluatesInExperiment, startExperimentIn, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('postEnvironment with source: cloning an environment', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop', environments: [{ name: 'Production', key: 'production', color: '417505', defaultTtl: 5, tags: ['live'], critical: true }] });
    await s.post('/api/v2/flags/shop', { name: 'Checkout', key: 'checkout' });
    await s.patch('/api/v2/flags/shop/checkout', {
      environmentKey: 'production',
      instructions: [{ kind: 'turnFlagOn' }, { kind: 'addTargets', variationId: (await s.get('/api/v2/flags/shop/checkout')).body.variations[0]._id, values: ['u1'] }, { kind: 'addRule', variationId: (await s.get('/api/v2/flags/shop/checkout')).body.variations[1]._id, clauses: [{ attribute: 'country', op: 'in', values: ['SE'] }] }],
    });
  });
  afterAll(() => s.close());

  it('copies the source environment\'s flag targeting (fresh version, salt and rule ids) and its settings the body leaves out', async () => {
    const res = await s.post('/api/v2/projects/shop/environments', { name: 'Staging', key: 'staging', color: 'AAAAAA', source: { key: 'production', version: 1 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: 'staging', name: 'Staging', color: 'AAAAAA', defaultTtl: 5, tags: ['live'], critical: true });
    const flag = (await s.get('/api/v2/flags/shop/checkout')).body;
    const source = flag.environments.production;
    const clone = flag.environments.staging;
    expect(clone).toMatchObject({ on: true, version: 1, targets: source.targets, fallthrough: source.fallthrough, offVariation: source.offVariation });
    expect(clone.rules).toEqual([{ ...source.rules[0], _id: expect.any(String), clauses: [{ ...source.rules[0].clauses[0], _id: expect.any(String) }] }]);
    expect(clone.rules[0]._id).not.toBe(source.rules[0]._id);
    expect(clone.salt).not.toBe(source.salt);
    const audit = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    expect(audit.shortDescription).toBe('cloned the environment Production as Staging');
  });

  it('404 naming an unknown source, and nothing is created', async () => {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.post('/api/v2/projects/shop/environments', { name: 'X', key: 'x', color: 'AAAAAA', source: { key: 'ghost' } })))).toBe(false);
    expect(res!.status).toBe(404);
    expect(res!.body.message).toBe('Environment "ghost" (the clone source) in project "shop" not found');
  });
});

describe('postEnvironment with source: an environment where an experiment runs', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    // 50/50 on production's fallthrough.
    await startExperimentIn(s, w);
  });
  afterAll(() => s.close());

  const inExperiment = (environmentKey: string) => evaluatesInExperiment(s, w, environmentKey, w.flag);

  it('the clone serves the experiment’s rollout as a plain rollout: its SDKs see no experiment', async () => {
    const res = await s.post(`/api/v2/projects/${w.project}/environments`, { name: 'Staging', key: 'staging', color: 'AAAAAA', source: { key: 'production' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const flag = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body;
    const source = flag.environments.production.fallthrough.rollout;
    expect(source.experimentAllocation).toBeDefined();
    expect(flag.environments.staging).toMatchObject({ on: true });
    expect(flag.environments.staging.fallthrough).toEqual({
      rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }], seed: source.seed, bucketBy: 'key', contextKind: 'user' },
    });
    expect(await inExperiment('production')).toBe(true);
    expect(await inExperiment('staging')).toBeUndefined();

    const weights = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/staging/fallthrough/rollout/variations/0/weight', value: 40000 }, { op: 'replace', path: '/environments/staging/fallthrough/rollout/variations/1/weight', value: 60000 }]);
    expect(weights.status, JSON.stringify(weights.body)).toBe(200);
  });
});
