import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createExperimentIn, createWorld, experimentsPath, startExperimentIn, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const PATH = '/api/v2/flags/shop/colour/copy';
const BOTH = { source: { key: 'production' }, target: { key: 'test' } };

describe('copyFeatureFlag: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other', environments: [{ key: 'staging', name: 'Staging', color: '000000' }] });
    await s.post('/api/v2/flags/shop', { name: 'Colour', key: 'colour', variations: [{ value: 'red' }, { value: 'green' }, { value: 'blue' }] });
    const on = await s.patch('/api/v2/flags/shop/colour', [{ op: 'replace', path: '/environments/production/on', value: true }]);
    expect(on.status).toBe(200);
  });
  afterAll(() => s.close());

  /** Sends the copy and asserts it was refused without writing anything. */
  async function refused(body: unknown, path = PATH): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.post(path, body)))).toBe(false);
    return res!;
  }

  async function expect400(body: unknown, attribute: string, reason: RegExp) {
    const res = await refused(body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors, JSON.stringify(res.body)).toContainEqual({ attribute, reason: expect.stringMatching(reason) });
    expect(res.body.message).toContain(attribute);
    return res;
  }

  it('404 naming the project or the flag', async () => {
    const project = await refused(BOTH, '/api/v2/flags/nope/colour/copy');
    expect(project.status).toBe(404);
    expect(project.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    const flag = await refused(BOTH, '/api/v2/flags/shop/ghost/copy');
    expect(flag.status).toBe(404);
    expect(flag.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
  });

  it('400 naming source.key or target.key for an environment the project does not have (both at once)', async () => {
    await expect400({ source: { key: 'moon' }, target: { key: 'test' } }, 'source.key', /^there is no environment "moon" in project "shop"$/);
    await expect400({ source: { key: 'production' }, target: { key: 'moon' } }, 'target.key', /^there is no environment "moon" in project "shop"$/);
    const both = await expect400({ source: { key: 'moon' }, target: { key: 'mars' } }, 'source.key', /"moon"/);
    expect(both.body.errors).toEqual([
      { attribute: 'source.key', reason: 'there is no environment "moon" in project "shop"' },
      { attribute: 'target.key', reason: 'there is no environment "mars" in project "shop"' },
    ]);
    // Another project's environment is not this project's.
    await expect400({ source: { key: 'production' }, target: { key: 'staging' } }, 'target.key', /no environment "staging" in project "shop"/);
  });

  it('400 when source and target are the same environment', async () => {
    const res = await expect400({ source: { key: 'test' }, target: { key: 'test' } }, 'target.key', /another environment than source.key \("test"\)/);
    expect(res.body.errors).toHaveLength(1);
  });

  it('400 for includedActions together with excludedActions', async () => {
    await expect400({ ...BOTH, includedActions: ['updateOn'], excludedActions: ['updateRules'] }, 'excludedActions', /together with includedActions/);
  });

  it('400 naming the field for bodies that are not a FlagCopyConfigPost', async () => {
    await expect400({ target: { key: 'test' } }, 'source', /must be present/);
    await expect400({ source: { key: 'production' } }, 'target', /must be present/);
    await expect400({ source: {}, target: { key: 'test' } }, 'source.key', /must be present/);
    await expect400({ source: { key: '' }, target: { key: 'test' } }, 'source.key', /must not be empty/);
    await expect400({ source: 'production', target: { key: 'test' } }, 'source', /must be an object/);
    await expect400({ ...BOTH, target: { key: 'test', currentVersion: '2' } }, 'target.currentVersion', /integer/);
    await expect400({ ...BOTH, source: { key: 'production', currentVersion: 1.5 } }, 'source.currentVersion', /integer/);
    await expect400({ ...BOTH, comment: 7 }, 'comment', /string/);
    await expect400({ ...BOTH, includedActions: ['updateOn', 'updateTrackEvents'] }, 'includedActions[1]', /must be one of "updateOn", "updateRules"/);
    await expect400({ ...BOTH, excludedActions: 'updateOn' }, 'excludedActions', /array/);
    await expect400({ ...BOTH, includedActions: [] }, 'includedActions', /at least 1/);
    const raw = await s.request('POST', PATH, { raw: '{"source":' });
    expect(raw.status).toBe(400);
    expect(raw.body.code).toBe('invalid_request');
  });

  it('409 optimistic_locking_error naming source.currentVersion or target.currentVersion when the version differs', async () => {
    const flag = (await s.get('/api/v2/flags/shop/colour')).body;
    const production = flag.environments.production.version;
    const test = flag.environments.test.version;
    const source = await refused({ source: { key: 'production', currentVersion: production + 1 }, target: { key: 'test', currentVersion: test } });
    expect(source.status).toBe(409);
    expect(source.body).toEqual({
      code: 'optimistic_locking_error',
      message: `Conflict. Optimistic lock error: the flag's version in environment "production" is ${production}, not ${production + 1} (source.currentVersion)`,
    });
    const target = await refused({ source: { key: 'production', currentVersion: production }, target: { key: 'test', currentVersion: test - 1 } });
    expect(target.status).toBe(409);
    expect(target.body).toEqual({
      code: 'optimistic_locking_error',
      message: `Conflict. Optimistic lock error: the flag's version in environment "test" is ${test}, not ${test - 1} (target.currentVersion)`,
    });
  });

  it('400 for what the target cannot hold, as a PATCH would be refused: a rule on a segment only the source has', async () => {
    expect((await s.post('/api/v2/segments/shop/production', { name: 'Staff', key: 'staff' })).status).toBe(201);
    const rule = await s.patch('/api/v2/flags/shop/colour', [
      { op: 'add', path: '/environments/production/rules/-', value: { variation: 1, clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['staff'], negate: false }] } },
    ]);
    expect(rule.status, JSON.stringify(rule.body)).toBe(200);
    await expect400(BOTH, 'environments.test.rules[0].clauses[0].values[0]', /^unknown segment "staff" in environment "test"$/);
    // Without the rules, the rest is copied.
    const rest = await s.post(PATH, { ...BOTH, excludedActions: ['updateRules'] });
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    expect(rest.body.environments.test.on).toBe(true);
    expect(rest.body.environments.test.rules).toEqual([]);
  });
});

describe('copyFeatureFlag: into an environment where a running experiment owns a rule', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await startExperimentIn(s, w);
  });
  afterAll(() => s.close());

  async function refused(body: unknown): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.post(`/api/v2/flags/${w.project}/${w.flag}/copy`, body)))).toBe(false);
    return res!;
  }

  it('409 conflict naming the experiment when the copy would change the fallthrough it owns, and nothing is written', async () => {
    for (const body of [
      { source: { key: 'test' }, target: { key: 'production' } },
      { source: { key: 'test' }, target: { key: 'production' }, includedActions: ['updateFallthrough'] },
      { source: { key: 'test' }, target: { key: 'production' }, excludedActions: ['updateOn', 'updateRules'] },
    ]) {
      const res = await refused(body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body).toEqual({
        code: 'conflict',
        message: `The fallthrough of flag "${w.flag}" in environment "production" is owned by the running experiment "checkout-exp"; stop the experiment before changing it`,
      });
    }
  });

  it('409 when an experiment owns a rule the copy would replace', async () => {
    // A second experiment, on the rule, in the test environment: copying production's rules over it would replace it.
    const copied = await s.post(`/api/v2/flags/${w.project}/${w.flag}/copy`, { source: { key: 'production' }, target: { key: 'test' }, includedActions: ['updateOn', 'updateRules'] });
    expect(copied.status, JSON.stringify(copied.body)).toBe(201);
    const testRule = copied.body.environments.test.rules[0]._id;
    const tw = { ...w, env: 'test', version: copied.body.environments.test.version };
    await createExperimentIn(s, tw, 'rule-exp', {
      hypothesis: 'Beta users like green',
      metrics: [{ key: w.metric }],
      primarySingleMetricKey: w.metric,
      treatments: [
        { name: 'Control', baseline: true, allocationPercent: '50', parameters: [{ flagKey: w.flag, variationId: w.variations[0] }] },
        { name: 'Green', baseline: false, allocationPercent: '50', parameters: [{ flagKey: w.flag, variationId: w.variations[1] }] },
      ],
      flags: { [w.flag]: { ruleId: testRule, flagConfigVersion: tw.version } },
    });
    const started = await s.patch(experimentsPath(tw, 'rule-exp'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status, JSON.stringify(started.body)).toBe(200);

    // The rule now serves the experiment's rollout in test, so production's plain rule differs from it.
    const res = await refused({ source: { key: 'production' }, target: { key: 'test' }, includedActions: ['updateRules'] });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      code: 'conflict',
      message: `Rule "${testRule}" of flag "${w.flag}" in environment "test" is owned by the running experiment "rule-exp"; stop the experiment before changing it`,
    });
  });
});
