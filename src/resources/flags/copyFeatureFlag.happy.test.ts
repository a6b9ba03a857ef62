import type { LDClient } from '@launchdarkly/node-server-sdk';
import { Configuration, FeatureFlagsApi, type FeatureFlag } from 'launchdarkly-api-typescript';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, startExperimentIn, type World } from '../../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const P = 'shop';

/** Production targeting with something in every part a copy can take. */
async function configureProduction(s: TestServer, key: string): Promise<any> {
  const res = await s.patch(`/api/v2/flags/${P}/${key}`, [
    { op: 'replace', path: '/environments/production/on', value: true },
    { op: 'add', path: '/environments/production/rules/-', value: { description: 'Staff', variation: 1, clauses: [{ attribute: 'email', op: 'endsWith', values: ['@example.com'], negate: false }] } },
    { op: 'add', path: '/environments/production/rules/-', value: { variation: 2, trackEvents: true, clauses: [{ contextKind: 'org', attribute: 'tier', op: 'in', values: ['gold'], negate: false }] } },
    { op: 'replace', path: '/environments/production/fallthrough', value: { rollout: { variations: [{ variation: 0, weight: 40000 }, { variation: 2, weight: 60000 }], bucketBy: 'key', contextKind: 'user' } } },
    { op: 'replace', path: '/environments/production/offVariation', value: 2 },
    { op: 'add', path: '/environments/production/targets/-', value: { variation: 1, values: ['ann'] } },
    { op: 'add', path: '/environments/production/contextTargets/-', value: { variation: 0, values: ['acme'], contextKind: 'org' } },
    { op: 'add', path: '/environments/production/prerequisites/-', value: { key: 'parent', variation: 0 } },
    { op: 'replace', path: '/environments/production/trackEvents', value: true },
    { op: 'replace', path: '/environments/production/trackEventsFallthrough', value: true },
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const TARGETING = ['on', 'rules', 'fallthrough', 'offVariation', 'targets', 'contextTargets', 'prerequisites', 'trackEvents', 'trackEventsFallthrough'] as const;

function pick(config: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, config[field]]));
}

/** Rules without their ids, to compare what they do. */
function ruleContents(rules: any[]): unknown[] {
  return rules.map(({ _id, clauses, ...rule }) => ({ ...rule, clauses: clauses.map(({ _id: _c, ...clause }: any) => clause) }));
}

describe('copyFeatureFlag: happy path', () => {
  let s: TestServer;
  let clock = 1_700_000_000_000;
  let n = 0;
  const flag = async () => {
    const key = `flag-${++n}`;
    const res = await s.post(`/api/v2/flags/${P}`, { name: `Flag ${n}`, key, variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    expect(res.status).toBe(201);
    return key;
  };
  const copy = async (key: string, body: Record<string, unknown>) => {
    clock += 1000;
    const res = await s.post(`/api/v2/flags/${P}/${key}/copy`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const auditEntries = async (key: string) =>
    (await s.store.db.selectFrom('audit_log').selectAll().where('resource', 'like', `%:flag/${key}`).orderBy('date').orderBy('id').execute()).map((e) => JSON.parse(e.doc));

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: P });
    await s.post(`/api/v2/flags/${P}`, { name: 'Parent', key: 'parent' });
  });
  afterAll(() => s.close());

  it('copies the whole targeting by default: the target moves one version, the source and the flag-wide settings stay', async () => {
    const key = await flag();
    const before = await configureProduction(s, key);
    const source = before.environments.production;
    const res = await copy(key, { source: { key: 'production' }, target: { key: 'test' } });

    const target = res.environments.test;
    expect(pick(target, TARGETING.filter((f) => f !== 'rules'))).toEqual(pick(source, TARGETING.filter((f) => f !== 'rules')));
    expect(ruleContents(target.rules)).toEqual(ruleContents(source.rules));
    expect(target).toMatchObject({ version: before.environments.test.version + 1, lastModified: clock, salt: before.environments.test.salt, sel: before.environments.test.sel });
    expect(res.environments.production).toEqual(source);
    expect(res._version).toBe(before._version + 1);
    expect(res.variations).toEqual(before.variations);
    // The answer is the FeatureFlag every flag route renders.
    expect((await s.get(`/api/v2/flags/${P}/${key}`)).body).toEqual(res);
  });

  it('copied rules and clauses get new _ids; a rule the target already has keeps its ids, so copying again changes nothing', async () => {
    const key = await flag();
    const source = (await configureProduction(s, key)).environments.production;
    const first = await copy(key, { source: { key: 'production' }, target: { key: 'test' } });
    const rules = first.environments.test.rules;
    const sourceIds = new Set([...source.rules.map((r: any) => r._id), ...source.rules.flatMap((r: any) => r.clauses.map((c: any) => c._id))]);
    for (const rule of rules) {
      expect(rule._id).toMatch(UUID);
      expect(sourceIds.has(rule._id)).toBe(false);
      for (const clause of rule.clauses) {
        expect(clause._id).toMatch(UUID);
        expect(sourceIds.has(clause._id)).toBe(false);
      }
    }

    const entries = (await auditEntries(key)).length;
    const again = await copy(key, { source: { key: 'production' }, target: { key: 'test' } });
    expect(again).toEqual(first);
    expect(await auditEntries(key)).toHaveLength(entries);

    // A new rule in the source, and the first rule edited: the second rule keeps its target id, the others are new.
    await s.patch(`/api/v2/flags/${P}/${key}`, [
      { op: 'add', path: '/environments/production/rules/0', value: { variation: 0, clauses: [{ attribute: 'key', op: 'in', values: ['zed'], negate: false }] } },
      { op: 'replace', path: '/environments/production/rules/1/description', value: 'Staff and friends' },
    ]);
    const third = await copy(key, { source: { key: 'production' }, target: { key: 'test' }, includedActions: ['updateRules'] });
    const ids = third.environments.test.rules.map((r: any) => r._id);
    expect(ids[2]).toBe(rules[1]._id);
    expect(ids[0]).not.toBe(rules[0]._id);
    expect(ids[1]).not.toBe(rules[0]._id);
    expect(third.environments.test.rules[1].description).toBe('Staff and friends');
    expect(third.environments.test.version).toBe(again.environments.test.version + 1);
  });

  it('includedActions copies only those parts; excludedActions all but those (and the event-tracking settings)', async () => {
    const key = await flag();
    const before = await configureProduction(s, key);
    const source = before.environments.production;
    const untouched = before.environments.test;

    const included = await copy(key, { source: { key: 'production' }, target: { key: 'test' }, includedActions: ['updateOn', 'updateTargets', 'updateFlagConfigMigrationSettings'] });
    expect(included.environments.test).toMatchObject({ on: true, targets: source.targets, contextTargets: source.contextTargets, version: untouched.version + 1 });
    expect(pick(included.environments.test, ['rules', 'fallthrough', 'offVariation', 'prerequisites', 'trackEvents', 'trackEventsFallthrough'])).toEqual(
      pick(untouched, ['rules', 'fallthrough', 'offVariation', 'prerequisites', 'trackEvents', 'trackEventsFallthrough']),
    );

    const other = await flag();
    const otherBefore = await configureProduction(s, other);
    const excluded = await copy(other, { source: { key: 'production' }, target: { key: 'test' }, excludedActions: ['updateRules', 'updatePrerequisites', 'updateOn'] });
    const target = excluded.environments.test;
    expect(pick(target, ['fallthrough', 'offVariation', 'targets', 'contextTargets', 'trackEvents', 'trackEventsFallthrough'])).toEqual(
      pick(otherBefore.environments.production, ['fallthrough', 'offVariation', 'targets', 'contextTargets', 'trackEvents', 'trackEventsFallthrough']),
    );
    expect(pick(target, ['on', 'rules', 'prerequisites'])).toEqual(pick(otherBefore.environments.test, ['on', 'rules', 'prerequisites']));
    expect(target.version).toBe(otherBefore.environments.test.version + 1);
  });

  it('copies in either direction, an absent offVariation included', async () => {
    const key = await flag();
    await configureProduction(s, key);
    await s.patch(`/api/v2/flags/${P}/${key}`, [{ op: 'remove', path: '/environments/test/offVariation' }]);
    const res = await copy(key, { source: { key: 'test' }, target: { key: 'production' }, includedActions: ['updateOffVariation', 'updateFallthrough'] });
    expect(res.environments.production.offVariation).toBeUndefined();
    expect(res.environments.production.fallthrough).toEqual({ variation: 0 });
    expect(res.environments.production.on).toBe(true);
  });

  it('currentVersion that matches is accepted; comment and what was asked go to the audit entry of the target', async () => {
    const key = await flag();
    const before = await configureProduction(s, key);
    const body = {
      comment: 'promote to test',
      source: { key: 'production', currentVersion: before.environments.production.version },
      target: { key: 'test', currentVersion: before.environments.test.version },
      excludedActions: ['updateOn'],
    };
    const res = await copy(key, body);
    expect(res.environments.test.version).toBe(before.environments.test.version + 1);
    const entry = (await auditEntries(key)).at(-1);
    expect(entry).toMatchObject({
      kind: 'flag',
      resource: `proj/${P}:env/test:flag/${key}`,
      action: 'copyFlagConfigTo',
      description: `copied the flag settings of ${before.name} from production to test`,
      comment: 'promote to test',
      delta: { source: body.source, target: body.target, excludedActions: ['updateOn'] },
      before: { environments: { test: { version: before.environments.test.version } } },
      after: { environments: { test: { version: res.environments.test.version } } },
    });
    expect(entry.delta).not.toHaveProperty('comment');
  });

  it('an environment the copy leaves as it was (nothing differs) is not written: 201, no version, no audit entry', async () => {
    const key = await flag();
    const before = (await s.get(`/api/v2/flags/${P}/${key}`)).body;
    const res = await copy(key, { source: { key: 'production' }, target: { key: 'test' }, includedActions: ['updateOn'] });
    expect(res).toEqual(before);
    expect((await auditEntries(key)).map((e) => e.action)).toEqual(['createFlag']);
  });
});

describe('copyFeatureFlag: a flag a running experiment uses', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await startExperimentIn(s, w);
  });
  afterAll(() => s.close());

  it('copying from the experiment’s environment, or parts of the target the experiment does not own, is allowed', async () => {
    const out = await s.post(`/api/v2/flags/${w.project}/${w.flag}/copy`, { source: { key: 'production' }, target: { key: 'test' } });
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    expect(out.body.environments.test.rules.map((r: any) => r.description)).toEqual(['Beta users']);
    // The experiment's rollout arrives as a plain rollout: same weights and seed, no experiment in the test environment.
    const source = out.body.environments.production.fallthrough.rollout;
    const copied = out.body.environments.test.fallthrough.rollout;
    expect(source.experimentAllocation).toBeDefined();
    expect(copied.experimentAllocation).toBeUndefined();
    expect(copied.seed).toBe(source.seed);
    expect(copied.variations).toEqual(source.variations.map(({ _untracked, ...weighted }: any) => weighted));

    // The experiment owns production's fallthrough; its rule and targets may still be copied into production.
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'add', path: '/environments/test/targets/-', value: { variation: 1, values: ['eve'] } }]);
    const into = await s.post(`/api/v2/flags/${w.project}/${w.flag}/copy`, { source: { key: 'test' }, target: { key: 'production' }, includedActions: ['updateTargets', 'updateRules'] });
    expect(into.status, JSON.stringify(into.body)).toBe(201);
    expect(into.body.environments.production.targets).toEqual([{ variation: 1, values: ['eve'] }]);
    // The rule the test environment has is production's (same in all but ids): production keeps its own rule id.
    expect(into.body.environments.production.rules.map((r: any) => r._id)).toEqual([w.ruleId]);
  });
});

/** The flag's evaluation for a beta user (the world's rule matches) in an environment, as evaluateContextInstance (and the SDKs) give it. */
async function evaluation(s: TestServer, w: World, environment: string, key: string): Promise<any> {
  const beta = { kind: 'user', key, groups: ['beta'] };
  const res = await s.post(`/api/v2/projects/${w.project}/environments/${environment}/flags/evaluate`, beta, { token: s.tokens.reader });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.find((item: any) => item.key === w.flag);
}

describe('copyFeatureFlag: an experiment whose untracked remainder serves the baseline again', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const treatment = (name: string, baseline: boolean, variationId: string) => ({ name, baseline, allocationPercent: '20', parameters: [{ flagKey: w.flag, variationId }] });
    const treatments = [treatment('Control', true, w.variations[0]), treatment('Green', false, w.variations[1])];
    await createExperimentIn(s, w, 'split', iterationBody(w, { treatments, flags: { [w.flag]: { ruleId: w.ruleId, flagConfigVersion: w.version } } }));
    expect((await s.patch(experimentsPath(w, 'split'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('the copy names the baseline once, with its weights added up, and units outside the experiment keep their variation', async () => {
    const out = await s.post(`/api/v2/flags/${w.project}/${w.flag}/copy`, { source: { key: 'production' }, target: { key: 'test' }, includedActions: ['updateOn', 'updateRules'] });
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    const source = out.body.environments.production.rules[0].rollout;
    expect(source.variations).toEqual([{ variation: 0, weight: 20000 }, { variation: 1, weight: 20000 }, { variation: 0, weight: 60000, _untracked: true }]);
    // The baseline's entry stands where its largest stretch (the untracked 60%) stood.
    expect(out.body.environments.test.rules[0].rollout).toEqual({ variations: [{ variation: 1, weight: 20000 }, { variation: 0, weight: 80000 }], seed: source.seed, bucketBy: 'key', contextKind: 'user' });

    let untracked = 0;
    for (let i = 0; i < 30; i++) {
      const [inSource, inTarget] = [await evaluation(s, w, 'production', `unit-${i}`), await evaluation(s, w, 'test', `unit-${i}`)];
      expect(inTarget.reason.inExperiment, `unit-${i}`).toBeUndefined();
      if (inSource.reason.inExperiment) continue;
      untracked++;
      expect(inTarget._value, `unit-${i}`).toBe(inSource._value);
    }
    expect(untracked).toBeGreaterThan(0);
  });

});

describe('copyFeatureFlag over real HTTP', () => {
  let s: TestServer;
  let client: LDClient | undefined;
  beforeEach(async () => {
    s = await startServer({ listen: true });
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await s.close();
  });

  it('the official REST client copies with FeatureFlagsApi.copyFeatureFlag and reads a typed FeatureFlag', async () => {
    const w = await createWorld(s);
    const flags = new FeatureFlagsApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    const before = (await flags.getFeatureFlag(w.project, w.flag)).data;
    const res = await flags.copyFeatureFlag(w.project, w.flag, {
      source: { key: 'production', currentVersion: before.environments!.production.version },
      target: { key: 'test', currentVersion: before.environments!.test.version },
      includedActions: ['updateOn', 'updateRules'],
      comment: 'from the client',
    });
    expect(res.status).toBe(201);
    const copied: FeatureFlag = res.data;
    expect(copied.key).toBe(w.flag);
    expect(copied.environments!.test).toMatchObject({ on: true, version: before.environments!.test.version + 1 });
    expect(copied.environments!.test.rules!.map((r) => r.description)).toEqual(['Beta users']);
    expect(copied.environments!.test.rules![0]._id).not.toBe(w.ruleId);

    const stale = await flags.copyFeatureFlag(w.project, w.flag, { source: { key: 'production' }, target: { key: 'test', currentVersion: 1 } }).catch((e) => e.response);
    expect(stale.status).toBe(409);
    expect(stale.data).toEqual({ code: 'optimistic_locking_error', message: expect.stringContaining('target.currentVersion') });
  });

  it('SDKs of the target environment receive the copied targeting like any other flag write', async () => {
    const w = await createWorld(s);
    client = sdkClient(s.url, await sdkKeyOf(s, w.project, 'test'));
    await client.waitForInitialization({ timeout: 10 });
    const beta = { kind: 'user', key: 'ada', groups: ['beta'] };
    // Off in test: the off variation.
    expect(await client.variationDetail(w.flag, beta, 'default')).toEqual({ value: false, variationIndex: 1, reason: { kind: 'OFF' } });
    const res = await s.post(`/api/v2/flags/${w.project}/${w.flag}/copy`, { source: { key: 'production' }, target: { key: 'test' } });
    expect(res.status).toBe(201);
    const ruleId = res.body.environments.test.rules[0]._id;
    await vi.waitFor(async () => expect(await client!.variationDetail(w.flag, beta, 'default')).toEqual({ value: true, variationIndex: 0, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId } }));
  });
});
