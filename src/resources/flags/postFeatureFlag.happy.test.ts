import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createWorld, evaluatesInExperiment, startExperimentIn, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('postFeatureFlag: happy path', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Client', key: 'client', defaultClientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true } });
  });
  afterAll(() => s.close());

  it('creates a boolean flag with LaunchDarkly defaults and targeting in every environment', async () => {
    const res = await s.post('/api/v2/flags/shop', { name: 'Dark mode', key: 'dark-mode' });
    expect(res.status).toBe(201);
    const flag = res.body;
    expect(flag).toMatchObject({
      name: 'Dark mode',
      key: 'dark-mode',
      kind: 'boolean',
      description: '',
      _version: 1,
      creationDate: clock,
      temporary: true,
      tags: [],
      archived: false,
      deprecated: false,
      customProperties: {},
      goalIds: [],
      experiments: { baselineIdx: 0, items: [] },
      defaults: { onVariation: 0, offVariation: 1 },
      clientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false },
      includeInSnippet: false,
      maintainerId: s.deps.accountId,
      _links: {
        parent: { href: '/api/v2/flags/shop', type: 'application/json' },
        self: { href: '/api/v2/flags/shop/dark-mode', type: 'application/json' },
      },
    });
    expect(flag._maintainer).toMatchObject({ _id: s.deps.accountId, email: 'owner@iterlab.local' });
    expect(flag.variations.map((v: { value: unknown }) => v.value)).toEqual([true, false]);
    for (const v of flag.variations) expect(v._id).toMatch(UUID);
    expect(Object.keys(flag.environments)).toEqual(['production', 'test']);
    const production = flag.environments.production;
    expect(production).toMatchObject({
      on: false,
      archived: false,
      version: 1,
      lastModified: clock,
      targets: [],
      contextTargets: [],
      rules: [],
      prerequisites: [],
      fallthrough: { variation: 0 },
      offVariation: 1,
      trackEvents: false,
      trackEventsFallthrough: false,
      _environmentName: 'Production',
      _site: { href: '/shop/production/features/dark-mode', type: 'text/html' },
      _summary: {
        prerequisites: 0,
        variations: {
          '0': { rules: 0, nullRules: 0, targets: 0, contextTargets: 0, isFallthrough: true },
          '1': { rules: 0, nullRules: 0, targets: 0, contextTargets: 0, isOff: true },
        },
      },
    });
    expect(production.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(production.salt).not.toBe(flag.environments.test.salt);
  });

  it('answers GET with exactly what POST returned', async () => {
    const created = await s.post('/api/v2/flags/shop', { name: 'Same', key: 'same' });
    const read = await s.get('/api/v2/flags/shop/same');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('creates a multivariate flag serving the given defaults', async () => {
    const res = await s.post('/api/v2/flags/shop', {
      name: 'Colour',
      key: 'colour',
      description: 'Button colour',
      variations: [{ value: 'red', name: 'Red' }, { value: 'green' }, { value: 'blue', description: 'calm' }],
      defaults: { onVariation: 2, offVariation: 0 },
      temporary: false,
      tags: ['ui'],
      customProperties: { jira: { name: 'Jira issues', value: ['UI-1'] } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'multivariate', description: 'Button colour', temporary: false, tags: ['ui'], defaults: { onVariation: 2, offVariation: 0 } });
    expect(res.body.customProperties).toEqual({ jira: { name: 'Jira issues', value: ['UI-1'] } });
    expect(res.body.variations.map(({ _id, valueHash: _hash, ...rest }: { _id: string; valueHash: string }) => rest)).toEqual([
      { value: 'red', name: 'Red' },
      { value: 'green' },
      { value: 'blue', description: 'calm' },
    ]);
    for (const env of Object.values(res.body.environments) as { fallthrough: unknown; offVariation: number }[]) {
      expect(env.fallthrough).toEqual({ variation: 2 });
      expect(env.offVariation).toBe(0);
    }
  });

  it('a boolean-valued pair in either order is a boolean flag; other pairs are multivariate', async () => {
    const reversed = await s.post('/api/v2/flags/shop', { name: 'R', key: 'reversed', variations: [{ value: false }, { value: true }] });
    expect(reversed.body.kind).toBe('boolean');
    const numbers = await s.post('/api/v2/flags/shop', { name: 'N', key: 'numbers', variations: [{ value: 1 }, { value: 2 }] });
    expect(numbers.body.kind).toBe('multivariate');
  });

  it('isFlagOn turns the flag on in every environment', async () => {
    const res = await s.post('/api/v2/flags/shop', { name: 'On', key: 'on-now', isFlagOn: true });
    expect(res.body.environments.production.on).toBe(true);
    expect(res.body.environments.test.on).toBe(true);
  });

  it("takes client-side availability from the project's default unless given", async () => {
    const inherited = await s.post('/api/v2/flags/client', { name: 'A', key: 'a' });
    expect(inherited.body.clientSideAvailability).toEqual({ usingMobileKey: false, usingEnvironmentId: true });
    expect(inherited.body.includeInSnippet).toBe(true);
    const given = await s.post('/api/v2/flags/client', { name: 'B', key: 'b', clientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false } });
    expect(given.body.clientSideAvailability).toEqual({ usingMobileKey: true, usingEnvironmentId: false });
    expect(given.body.includeInSnippet).toBe(false);
  });

  it("takes what the body omits from the project's flag defaults: True and False, unless the project says otherwise", async () => {
    const plain = await s.post('/api/v2/flags/shop', { name: 'Plain', key: 'plain' });
    expect(plain.body.variations.map(({ _id, valueHash: _hash, ...v }: { _id: string; valueHash: string }) => v)).toEqual([{ value: true, name: 'True' }, { value: false, name: 'False' }]);
    await s.post('/api/v2/projects', { name: 'Defaults', key: 'defaults' });
    const put = await s.put('/api/v2/projects/defaults/flag-defaults', {
      tags: ['t'],
      temporary: false,
      booleanDefaults: { trueDisplayName: 'Yes', falseDisplayName: 'No', trueDescription: '', falseDescription: 'not yet', onVariation: 1, offVariation: 1 },
      defaultClientSideAvailability: { usingMobileKey: false, usingEnvironmentId: false },
    });
    expect(put.status).toBe(200);
    const res = await s.post('/api/v2/flags/defaults', { name: 'D', key: 'd' });
    expect(res.body).toMatchObject({ tags: ['t'], temporary: false, defaults: { onVariation: 1, offVariation: 1 }, clientSideAvailability: { usingMobileKey: false, usingEnvironmentId: false } });
    expect(res.body.variations.map(({ _id, valueHash: _hash, ...v }: { _id: string; valueHash: string }) => v)).toEqual([{ value: true, name: 'Yes' }, { value: false, name: 'No', description: 'not yet' }]);
    expect(res.body.environments.production).toMatchObject({ fallthrough: { variation: 1 }, offVariation: 1 });
  });

  it('initialPrerequisites name a flag and its variation by _id', async () => {
    const parent = await s.post('/api/v2/flags/shop', { name: 'Parent', key: 'parent' });
    const res = await s.post('/api/v2/flags/shop', {
      name: 'Child',
      key: 'child',
      initialPrerequisites: [{ key: 'parent', variationId: parent.body.variations[1]._id }],
    });
    expect(res.status).toBe(201);
    expect(res.body.environments.production.prerequisites).toEqual([{ key: 'parent', variation: 1 }]);
    expect(res.body.environments.test._summary.prerequisites).toBe(1);
  });

  it('?clone= copies variations and targeting (on/off included) with fresh ids, salts and versions', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Source', key: 'source', variations: [{ value: 'a' }, { value: 'b' }], tags: ['src'] });
    const patched = await s.patch('/api/v2/flags/shop/source', [
      { op: 'replace', path: '/environments/production/on', value: true },
      { op: 'add', path: '/environments/production/rules/-', value: { variation: 1, clauses: [{ attribute: 'email', op: 'endsWith', values: ['@x.com'], negate: false }] } },
    ]);
    expect(patched.status).toBe(200);
    const source = patched.body;
    const res = await s.post('/api/v2/flags/shop?clone=source', { name: 'Copy', key: 'copy' });
    expect(res.status).toBe(201);
    const copy = res.body;
    expect(copy.variations.map((v: { value: unknown }) => v.value)).toEqual(['a', 'b']);
    expect(copy.variations[0]._id).not.toBe(source.variations[0]._id);
    expect(copy.tags).toEqual(['src']);
    expect(copy._version).toBe(1);
    const production = copy.environments.production;
    expect(production).toMatchObject({ on: true, version: 1, fallthrough: { variation: 0 } });
    expect(production.salt).not.toBe(source.environments.production.salt);
    expect(production.rules).toHaveLength(1);
    expect(production.rules[0]).toMatchObject({ variation: 1, trackEvents: false, clauses: [{ attribute: 'email', op: 'endsWith', values: ['@x.com'], negate: false }] });
    expect(production.rules[0]._id).toMatch(UUID);
    expect(production.rules[0]._id).not.toBe(source.environments.production.rules[0]._id);
    expect(copy.environments.test.on).toBe(false);
  });

  it('a flag created before an environment gets targeting in the new environment', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Early', key: 'early', variations: [{ value: 'x' }, { value: 'y' }, { value: 'z' }], defaults: { onVariation: 1, offVariation: 2 } });
    const env = await s.post('/api/v2/projects/shop/environments', { name: 'Staging', key: 'staging', color: '00AAFF' });
    expect(env.status).toBe(201);
    const res = await s.get('/api/v2/flags/shop/early?env=staging');
    expect(Object.keys(res.body.environments)).toEqual(['staging']);
    expect(res.body.environments.staging).toMatchObject({ on: false, version: 1, fallthrough: { variation: 1 }, offVariation: 2, _environmentName: 'Staging' });
  });

  it('flags and environments created at the same time still get targeting in each other', async () => {
    await s.post('/api/v2/projects', { name: 'Race', key: 'race' });
    for (let round = 0; round < 4; round++) {
      const [flag, env] = await Promise.all([
        s.post('/api/v2/flags/race', { name: `F${round}`, key: `f${round}` }),
        s.post('/api/v2/projects/race/environments', { name: `E${round}`, key: `e${round}`, color: '000000' }),
      ]);
      expect([flag.status, env.status]).toEqual([201, 201]);
    }
    const list = await s.get('/api/v2/flags/race?env=production,test,e0,e1,e2,e3');
    for (const item of list.body.items) expect(Object.keys(item.environments)).toEqual(['production', 'test', 'e0', 'e1', 'e2', 'e3']);
  });

  it('each variation carries valueHash, the SHA-256 of its canonical value; a valueHash sent with a variation is ignored and never stored', async () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const res = await s.post('/api/v2/flags/shop', {
      name: 'Hashed',
      key: 'hashed',
      variations: [{ value: { b: [1, 'x'], a: null }, valueHash: 'not-a-hash' }, { value: { plain: true }, name: 'Plain' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.variations.map((v: { valueHash: string }) => v.valueHash)).toEqual([sha('{"a":null,"b":[1,"x"]}'), sha('{"plain":true}')]);
    // Equal values hash equally whatever their key order: a clone's variations hash as its source's.
    const clone = await s.post('/api/v2/flags/shop?clone=hashed', { name: 'Hashed 2', key: 'hashed-2' });
    expect(clone.body.variations.map((v: { valueHash: string }) => v.valueHash)).toEqual(res.body.variations.map((v: { valueHash: string }) => v.valueHash));
    const row = await s.store.db.selectFrom('flags').select('doc').where('key', '=', 'hashed').executeTakeFirstOrThrow();
    expect(row.doc).not.toContain('valueHash');
    expect(row.doc).not.toContain('not-a-hash');
    const boolean = await s.get('/api/v2/flags/shop/dark-mode');
    expect(boolean.body.variations.map((v: { valueHash: string }) => v.valueHash)).toEqual([sha('true'), sha('false')]);
  });

  it('viewKeys (as Terraform sends them) links the new flag to those views', async () => {
    const beta = { headers: { 'LD-API-Version': 'beta' } };
    for (const key of ['team-a', 'team-b']) expect((await s.post('/api/v2/projects/shop/views', { key, name: key }, beta)).status).toBe(200);
    const res = await s.post('/api/v2/flags/shop', { name: 'Viewed', key: 'viewed', viewKeys: ['team-a', 'team-b', 'team-a'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const linked = await s.get('/api/v2/projects/shop/view-associations/flags/viewed', beta);
    expect(linked.body.items.map((v: { key: string }) => v.key).sort()).toEqual(['team-a', 'team-b']);
  });
});

describe('postFeatureFlag: migration flags', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Moves', key: 'moves' });
  });
  afterAll(() => s.close());

  const stageOf = (flag: { variations: { value: unknown; name?: string; description?: string }[] }) => flag.variations.map((v) => v.value);

  it('a six-stage migration flag: one string variation a stage, off on and off, a default cohort of 100% off bucketed by its context kind', async () => {
    const res = await s.post('/api/v2/flags/moves', { name: 'Orders DB', key: 'orders-db', purpose: 'migration', migrationSettings: { stageCount: 6, contextKind: 'account' } });
    expect(res.status).toBe(201);
    const flag = res.body;
    expect(flag).toMatchObject({ key: 'orders-db', kind: 'multivariate', _purpose: 'migration', temporary: true, defaults: { onVariation: 0, offVariation: 0 } });
    expect(stageOf(flag)).toEqual(['off', 'dualwrite', 'shadow', 'live', 'rampdown', 'complete']);
    expect(flag.variations.map((v: { name: string }) => v.name)).toEqual(['Off', 'DualWrite', 'Shadow', 'Live', 'RampDown', 'Complete']);
    expect(flag.variations[1].description).toBe('Read from old, write to old and new; old is authoritative');
    // Settings are shown with expand=migrationSettings only (getFeatureFlag's "Expanding response").
    expect(flag.migrationSettings).toBeUndefined();
    for (const env of ['production', 'test']) {
      expect(flag.environments[env]).toMatchObject({
        on: false,
        offVariation: 0,
        fallthrough: {
          rollout: {
            variations: [0, 1, 2, 3, 4, 5].map((variation) => ({ variation, weight: variation === 0 ? 100000 : 0 })),
            contextKind: 'account',
          },
        },
        targets: [],
        rules: [],
      });
      expect(flag.environments[env].migrationSettings).toBeUndefined();
    }
    expect((await s.get('/api/v2/flags/moves/orders-db')).body).toEqual(flag);
  });

  it('two and four stages: their stages only, and no context kind on the default cohort', async () => {
    const two = await s.post('/api/v2/flags/moves', { name: 'Mail', key: 'mail', purpose: 'migration', migrationSettings: { stageCount: 2 } });
    expect(two.status).toBe(201);
    expect(stageOf(two.body)).toEqual(['off', 'complete']);
    expect(two.body.environments.production.fallthrough).toEqual({ rollout: { variations: [{ variation: 0, weight: 100000 }, { variation: 1, weight: 0 }] } });
    const four = await s.post('/api/v2/flags/moves', { name: 'Search', key: 'search', purpose: 'migration', migrationSettings: { stageCount: 4 }, temporary: false, isFlagOn: true });
    expect(four.status).toBe(201);
    expect(stageOf(four.body)).toEqual(['off', 'shadow', 'live', 'complete']);
    expect(four.body).toMatchObject({ temporary: false, kind: 'multivariate', defaults: { onVariation: 0, offVariation: 0 } });
    expect(four.body.environments.test).toMatchObject({ on: true, offVariation: 0 });
  });

  it('expand=migrationSettings shows the settings on the flag and each environment, on GET and in the list', async () => {
    const one = await s.get('/api/v2/flags/moves/orders-db?expand=migrationSettings');
    expect(one.body.migrationSettings).toEqual({ contextKind: 'account', stageCount: 6 });
    expect(one.body.environments.production.migrationSettings).toEqual({ checkRatio: 1 });
    const list = await s.get('/api/v2/flags/moves?env=production&expand=migrationSettings&filter=purpose:migration');
    const byKey = Object.fromEntries(list.body.items.map((f: { key: string }) => [f.key, f]));
    expect(byKey.mail.migrationSettings).toEqual({ stageCount: 2 });
    expect(byKey['orders-db'].environments.production.migrationSettings).toEqual({ checkRatio: 1 });
    // Not a migration flag: nothing to expand.
    await s.post('/api/v2/flags/moves', { name: 'Plain', key: 'plain' });
    const plain = await s.get('/api/v2/flags/moves/plain?expand=migrationSettings');
    expect(plain.body.migrationSettings).toBeUndefined();
    expect(plain.body.environments.production.migrationSettings).toBeUndefined();
  });

  it('an environment created later gets the migration default cohort; a clone is a migration flag with the same stages', async () => {
    await s.post('/api/v2/projects/moves/environments', { name: 'Staging', key: 'staging', color: '00AAFF' });
    const flag = (await s.get('/api/v2/flags/moves/orders-db?env=staging')).body;
    expect(flag.environments.staging).toMatchObject({ offVariation: 0, fallthrough: { rollout: { contextKind: 'account' } } });
    expect(flag.environments.staging.fallthrough.rollout.variations[0]).toEqual({ variation: 0, weight: 100000 });
    const copy = await s.post('/api/v2/flags/moves?clone=orders-db', { name: 'Orders DB 2', key: 'orders-db-2' });
    expect(copy.status).toBe(201);
    expect(copy.body._purpose).toBe('migration');
    expect(stageOf(copy.body)).toEqual(stageOf(flag));
    expect((await s.get('/api/v2/flags/moves/orders-db-2?expand=migrationSettings')).body.migrationSettings).toEqual({ contextKind: 'account', stageCount: 6 });
  });
});

describe('postFeatureFlag: cloning a flag a running experiment uses', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    // 50/50 on production's fallthrough.
    await startExperimentIn(s, w);
  });
  afterAll(() => s.close());

  const inExperiment = (flagKey: string) => evaluatesInExperiment(s, w, 'production', flagKey);

  it('the clone serves the experiment’s rollout as a plain rollout, which a patch may change', async () => {
    const res = await s.post(`/api/v2/flags/${w.project}?clone=${w.flag}`, { name: 'Checkout copy', key: 'checkout-copy' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const source = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.fallthrough.rollout;
    expect(source.experimentAllocation).toBeDefined();
    expect(res.body.environments.production.fallthrough).toEqual({
      rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }], seed: source.seed, bucketBy: 'key', contextKind: 'user' },
    });
    // The source's SDKs see an experiment; the clone's see none (no experiment runs on the clone).
    expect(await inExperiment(w.flag)).toBe(true);
    expect(await inExperiment('checkout-copy')).toBeUndefined();

    const weights = await s.patch(`/api/v2/flags/${w.project}/checkout-copy`, [
      { op: 'replace', path: '/environments/production/fallthrough/rollout/variations/0/weight', value: 40000 },
      { op: 'replace', path: '/environments/production/fallthrough/rollout/variations/1/weight', value: 60000 },
    ]);
    expect(weights.status, JSON.stringify(weights.body)).toBe(200);
  });
});
