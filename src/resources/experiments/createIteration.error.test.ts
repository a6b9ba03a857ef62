import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { digestStore } from '../../../test/support/digest.js';
import { beforeNextTransaction, createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('createIteration: errors', () => {
  let s: TestServer;
  let w: World;
  let draftBefore: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
  });
  afterAll(() => s.close());
  const path = () => `${experimentsPath(w, 'exp')}/iterations`;
  const draft = async () => JSON.stringify((await s.get(`${experimentsPath(w, 'exp')}?expand=draftIteration,treatments,secondaryMetrics`)).body);
  beforeEach(async () => {
    draftBefore = await draft();
  });

  /** Posts body, expects a 400 whose errors include each expected {attribute, reason~}, and that nothing changed. */
  async function rejects(body: unknown, expected: [string, RegExp][]) {
    const res = await s.post(path(), body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    for (const [attribute, reason] of expected) {
      const hit = res.body.errors.find((e: { attribute: string; reason: string }) => e.attribute === attribute && reason.test(e.reason));
      expect(hit, `${attribute} ${reason} in ${JSON.stringify(res.body.errors)}`).toBeDefined();
      expect(res.body.message).toContain(attribute);
    }
    expect(await draft()).toBe(draftBefore);
    return res.body;
  }

  it('the seed’s own example body: its treatment names a flag that is not in its flags', async () => {
    const seed = {
      hypothesis: 'Example hypothesis, the new button placement will increase conversion',
      metrics: [{ key: 'metric-key-123abc' }],
      treatments: [
        {
          name: 'Treatment 1',
          baseline: true,
          allocationPercent: '10',
          parameters: [{ flagKey: 'example-flag-for-experiment', variationId: 'e432f62b-55f6-49dd-a02f-eb24acf39d05' }],
        },
      ],
      flags:
        '{"example-flag-key": { "ruleId": "e432f62b-55f6-49dd-a02f-eb24acf39d05", "flagConfigVersion": 12, "notInExperimentVariationId": "e432f62b-55f6-49dd-a02f-eb24acf39d05" }}',
    };
    const body = await rejects(seed, [
      ['treatments[0].parameters[0].flagKey', /flag "example-flag-for-experiment" is not in flags/],
      ['flags.example-flag-key', /not found in project/],
      ['metrics[0].key', /metric "metric-key-123abc" not found/],
      ['primarySingleMetricKey', /either primarySingleMetricKey or primaryFunnelKey must be present/],
    ]);
    expect(body.errors).toHaveLength(4);
  });

  it('missing and mistyped required fields, all reported together', async () => {
    await rejects({ canReshuffleTraffic: 'yes', metrics: 'none', treatments: [{ name: 1, baseline: 'no', allocationPercent: 50, parameters: [] }] }, [
      ['hypothesis', /must be present/],
      ['flags', /must be present/],
      ['canReshuffleTraffic', /must be a boolean/],
      ['metrics', /must be an array/],
      ['treatments[0].name', /must be a string/],
      ['treatments[0].baseline', /must be a boolean/],
      ['treatments[0].allocationPercent', /must be a string/],
      ['treatments[0].parameters', /at least 1/],
    ]);
  });

  it('a body that is not an object', async () => {
    await rejects([1, 2], [['body', /must be an object/]]);
  });

  it('metric keys that do not exist, or whose isGroup does not match', async () => {
    await rejects(iterationBody(w, { metrics: [{ key: w.metric }, { key: 'nope' }, { key: w.funnel }, { key: w.numericMetric, isGroup: true }] }), [
      ['metrics[1].key', /metric "nope" not found in project "proj"/],
      ['metrics[2].key', /is a metric group; set isGroup to true/],
      ['metrics[3].key', /is a metric, not a metric group; set isGroup to false/],
    ]);
  });

  it('a primary key that is not among the metrics, a non-funnel primaryFunnelKey, both primaries', async () => {
    await rejects(iterationBody(w, { primarySingleMetricKey: w.numericMetric, metrics: [{ key: w.metric }] }), [['primarySingleMetricKey', /must also be listed in metrics/]]);
    await rejects(
      iterationBody(w, { primarySingleMetricKey: undefined, primaryFunnelKey: w.standardGroup, metrics: [{ key: w.standardGroup, isGroup: true }] }),
      [['primaryFunnelKey', /standard group, not a funnel/]],
    );
    await rejects(iterationBody(w, { primaryFunnelKey: w.funnel, metrics: [{ key: w.metric }, { key: w.funnel, isGroup: true }] }), [['primaryFunnelKey', /not both/]]);
  });

  it('a flag not in the project, an unknown ruleId, a stale flagConfigVersion (naming the current one)', async () => {
    await rejects(iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: w.version }, ghost: { ruleId: 'fallthrough', flagConfigVersion: 1 } } }), [
      ['flags.ghost', /flag "ghost" not found in project "proj"/],
    ]);
    await rejects(iterationBody(w, { flags: { [w.flag]: { ruleId: 'not-a-rule', flagConfigVersion: w.version } } }), [
      [`flags.${w.flag}.ruleId`, /neither "fallthrough" nor the _id of a rule/],
    ]);
    await rejects(iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: w.version - 1 } } }), [
      [`flags.${w.flag}.flagConfigVersion`, new RegExp(`is ${w.version - 1}, but the current version of flag "${w.flag}" in environment "production" is ${w.version}`)],
    ]);
  });

  it('a migration flag: experiments cannot run on it (400 naming flags.<key>)', async () => {
    const created = await s.post(`/api/v2/flags/${w.project}`, { key: 'stages', name: 'Stages', purpose: 'migration', migrationSettings: { stageCount: 2 } });
    expect(created.status).toBe(201);
    const version = (await s.get(`/api/v2/flags/${w.project}/stages?env=production`)).body.environments.production.version;
    const [off, complete] = created.body.variations.map((v: { _id: string }) => v._id);
    const body = iterationBody(w, {
      flags: { stages: { ruleId: 'fallthrough', flagConfigVersion: version } },
      treatments: [
        { name: 'Off', baseline: true, allocationPercent: '50', parameters: [{ flagKey: 'stages', variationId: off }] },
        { name: 'Complete', baseline: false, allocationPercent: '50', parameters: [{ flagKey: 'stages', variationId: complete }] },
      ],
    });
    await rejects(body, [['flags.stages', /^flag "stages" is a migration flag; experiments cannot run on it$/]]);
  });

  it('variation ids that are not variations of the flag', async () => {
    const body = iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: w.version, notInExperimentVariationId: 'nope' } } });
    (body.treatments as any[])[1].parameters[0].variationId = 'bogus';
    await rejects(body, [
      [`flags.${w.flag}.notInExperimentVariationId`, /"nope" is not a variation _id/],
      ['treatments[1].parameters[0].variationId', /"bogus" is not a variation _id/],
    ]);
  });

  it('no treatments, duplicate names, not exactly one baseline, the same variation twice', async () => {
    await rejects(iterationBody(w, { treatments: [] }), [['treatments', /at least one treatment/]]);
    const t = (name: string, baseline: boolean, v: number, pct = '50') => ({ name, baseline, allocationPercent: pct, parameters: [{ flagKey: w.flag, variationId: w.variations[v] }] });
    await rejects(iterationBody(w, { treatments: [t('A', true, 0), t('A', false, 1)] }), [['treatments[1].name', /duplicate treatment name "A"/]]);
    await rejects(iterationBody(w, { treatments: [t('A', true, 0), t('   ', false, 1)] }), [['treatments[1].name', /must not be blank/]]);
    await rejects(iterationBody(w, { attributes: ['country', 'plan', 'country'] }), [['attributes[2]', /duplicate attribute "country"/]]);
    await rejects(iterationBody(w, { treatments: [t('A', true, 0), t('B', true, 1)] }), [['treatments', /exactly one treatment must be the baseline; 2 are/]]);
    await rejects(iterationBody(w, { treatments: [t('A', false, 0), t('B', false, 1)] }), [['treatments', /exactly one treatment must be the baseline; 0 are/]]);
    await rejects(iterationBody(w, { treatments: [t('A', true, 0), t('B', false, 0)] }), [['treatments[1].parameters', /same variation/]]);
  });

  it('allocationPercent that is not a decimal string in 0–100 with at most 3 decimals, or totals over 100', async () => {
    const t = (pct: string, v: number, baseline: boolean) => ({ name: `T${v}`, baseline, allocationPercent: pct, parameters: [{ flagKey: w.flag, variationId: w.variations[v] }] });
    // Stored and shown back as sent: written plainly, without surrounding space or a leading zero.
    for (const bad of ['50%', '-1', '100.5', '101', '1.2345', 'abc', '', '1e2', ' 40.5', '40.5\n', '040.5', '00']) {
      await rejects(iterationBody(w, { treatments: [t(bad, 0, true), t('10', 1, false)] }), [['treatments[0].allocationPercent', /decimal string from 0 to 100/]]);
    }
    await rejects(iterationBody(w, { treatments: [t('60', 0, true), t('40.001', 1, false)] }), [['treatments', /add up to 100.001, more than 100/]]);
  });

  it('a randomization unit that is not in the experimentation settings', async () => {
    await rejects(iterationBody(w, { randomizationUnit: 'device' }), [['randomizationUnit', /Randomization unit "device" not found in project settings \[user\]/]]);
  });

  it("a registered unit whose context kind was archived since, named or the project's default: 400 naming randomizationUnit, nothing written; unarchived, it is taken again", async () => {
    const v = await createWorld(s, 'devices');
    const archive = (archived: boolean) => s.put(`/api/v2/projects/${v.project}/context-kinds/device`, { name: 'Device', archived });
    expect((await s.put(`/api/v2/projects/${v.project}/experimentation-settings`, { randomizationUnits: [{ randomizationUnit: 'device', default: true }, { randomizationUnit: 'user' }] })).status).toBe(200);
    expect((await s.post(`/api/v2/metrics/${v.project}`, { key: 'taps', kind: 'custom', eventKey: 'tap', isNumeric: false, randomizationUnits: ['device', 'user'] })).status).toBe(201);
    const body = iterationBody({ ...v, version: await flagVersion(s, v.project, v.flag) }, { metrics: [{ key: 'taps' }], primarySingleMetricKey: 'taps' });
    const byDevice = { ...body, randomizationUnit: 'device' };
    // Made while the kind is not archived: the cached settings hold it as usable.
    await createExperimentIn(s, v, 'by-device', byDevice);
    const iterations = `${experimentsPath(v, 'by-device')}/iterations`;
    expect((await s.post(iterations, byDevice)).status).toBe(200);
    expect((await archive(true)).status).toBe(200);

    const before = await digestStore(s.store);
    const reason = 'is an archived context kind, and archived context kinds cannot be used in experiments';
    const named = await s.post(iterations, byDevice);
    expect(named.status).toBe(400);
    expect(named.body.code).toBe('invalid_request');
    expect(named.body.errors).toEqual([{ attribute: 'randomizationUnit', reason: `randomization unit "device" ${reason}` }]);
    expect(named.body.message).toContain('randomizationUnit');
    const byDefault = await s.post(iterations, body);
    expect(byDefault.status).toBe(400);
    expect(byDefault.body.errors).toEqual([{ attribute: 'randomizationUnit', reason: `the project's default randomization unit "device" ${reason}` }]);
    const created = await s.post(experimentsPath(v), { name: 'Another', key: 'another', iteration: byDevice });
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual([{ attribute: 'iteration.randomizationUnit', reason: `randomization unit "device" ${reason}` }]);
    expect(await digestStore(s.store)).toBe(before);

    // The project's other unit is still taken; unarchived, the kind is taken again.
    expect((await s.post(iterations, { ...body, randomizationUnit: 'user' })).status).toBe(200);
    expect((await archive(false)).status).toBe(200);
    const again = await s.post(iterations, byDevice);
    expect(again.status).toBe(200);
    expect(again.body.randomizationUnit).toBe('device');

    // Create iteration reads the archived state with the cached settings, not from the store: a kind archived behind
    // the change bus's back goes unseen there, while startIteration reads it in its own transaction.
    const kindRow = () => s.store.db.selectFrom('context_kinds').innerJoin('projects', 'projects.id', 'context_kinds.project_id').select('context_kinds.doc').where('projects.key', '=', v.project).where('context_kinds.key', '=', 'device');
    const stored = (await kindRow().executeTakeFirstOrThrow()).doc;
    const projectId = (await s.store.db.selectFrom('projects').select('id').where('key', '=', v.project).executeTakeFirstOrThrow()).id;
    await s.store.db.updateTable('context_kinds').set({ doc: JSON.stringify({ ...JSON.parse(stored), archived: true }) }).where('project_id', '=', projectId).where('key', '=', 'device').execute();
    expect((await s.post(iterations, byDevice)).status).toBe(200);
    const start = await s.patch(experimentsPath(v, 'by-device'), { instructions: [{ kind: 'startIteration' }] });
    expect(start.status).toBe(400);
    expect(start.body.errors[0].reason).toMatch(/^randomizationUnit "device" is an archived context kind/);
  });

  it('a JSON string for flags that does not decode to an object', async () => {
    await rejects(iterationBody(w, { flags: '[1]' }), [['flags', /does not decode to one/]]);
    await rejects(iterationBody(w, { flags: '{nope' }), [['flags', /is not JSON/]]);
  });

  it('an experiment that has run keeps its flag: a new iteration on another flag is a 400 naming flags (before any start it may change)', async () => {
    // A project of its own: the start and stop below change its flag's version.
    const v = await createWorld(s, 'ran-project');
    const other = await s.post(`/api/v2/flags/${v.project}`, { name: 'Other flag', key: 'other-flag' });
    expect(other.status).toBe(201);
    const onOther = async () =>
      iterationBody(v, {
        treatments: [
          { name: 'Control', baseline: true, allocationPercent: '50', parameters: [{ flagKey: 'other-flag', variationId: other.body.variations[0]._id }] },
          { name: 'New', baseline: false, allocationPercent: '50', parameters: [{ flagKey: 'other-flag', variationId: other.body.variations[1]._id }] },
        ],
        flags: { 'other-flag': { ruleId: 'fallthrough', flagConfigVersion: await flagVersion(s, v.project, 'other-flag') } },
      });
    const onFirst = async () => iterationBody({ ...v, version: await flagVersion(s, v.project, v.flag) });
    await createExperimentIn(s, v, 'ran');
    const ranPath = `${experimentsPath(v, 'ran')}/iterations`;
    // Never started: its draft may move to another flag, and back.
    expect((await s.post(ranPath, await onOther())).status).toBe(200);
    expect((await s.post(ranPath, await onFirst())).status).toBe(200);
    const started = await s.patch(`${experimentsPath(v, 'ran')}?expand=treatments`, { instructions: [{ kind: 'startIteration' }] });
    expect(started.status).toBe(200);
    expect((await s.patch(experimentsPath(v, 'ran'), { instructions: [{ kind: 'stopIteration', winningTreatmentId: started.body.currentIteration.treatments[0]._id }] })).status).toBe(200);
    const before = JSON.stringify((await s.get(`${experimentsPath(v, 'ran')}?expand=draftIteration`)).body);
    const refused = await s.post(ranPath, await onOther());
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ attribute: 'flags', reason: expect.stringMatching(/has run on \("checkout-button"\); to experiment on a different flag, create a new experiment/) }]);
    expect(JSON.stringify((await s.get(`${experimentsPath(v, 'ran')}?expand=draftIteration`)).body)).toBe(before);
    // saveAndStartNewIteration is held to the same rule.
    const moved = await onOther();
    const restart = await s.patch(experimentsPath(v, 'ran'), {
      instructions: [{ kind: 'saveAndStartNewIteration', value: { flags: { operation: 'update', value: moved.flags }, treatments: { operation: 'update', value: moved.treatments } } }],
    });
    expect(restart.status).toBe(400);
    expect(restart.body.message).toMatch(/create a new experiment/);
    expect(JSON.stringify((await s.get(`${experimentsPath(v, 'ran')}?expand=draftIteration`)).body)).toBe(before);
    // The flag it ran on stays open to new iterations.
    expect((await s.post(ranPath, await onFirst())).status).toBe(200);
  });

  it("400 naming metrics[i].key for a metric (or a group's member) that does not measure by the iteration's randomization unit", async () => {
    const settings = `/api/v2/projects/${w.project}/experimentation-settings`;
    expect((await s.put(settings, { randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'organization' }] })).status).toBe(200);
    expect((await s.post(`/api/v2/metrics/${w.project}`, { key: 'org-only', kind: 'custom', eventKey: 'org', isNumeric: false, randomizationUnits: ['organization'] })).status).toBe(201);
    const maintainerId = (await s.get('/api/v2/tokens')).body.items[0].memberId;
    const group = await s.post(
      `/api/v2/projects/${w.project}/metric-groups`,
      { key: 'mixed-units', name: 'Mixed units', kind: 'standard', maintainerId, tags: [], metrics: [{ key: 'org-only' }, { key: w.metric }] },
      { headers: { 'LD-API-Version': 'beta' } },
    );
    expect(group.status).toBe(201);
    draftBefore = await draft();
    const body = async (overrides: Record<string, unknown>) => iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, overrides);

    await rejects(await body({ metrics: [{ key: 'org-only' }], primarySingleMetricKey: 'org-only' }), [
      ['metrics[0].key', /^metric "org-only" has the randomization units \[organization\], not the iteration's randomizationUnit "user"; a metric and the experiment must use the same randomization unit$/],
    ]);
    await rejects(await body({ metrics: [{ key: 'org-only' }, { key: 'mixed-units', isGroup: true }], primarySingleMetricKey: 'org-only', randomizationUnit: 'organization' }), [
      ['metrics[1].key', new RegExp(`^metric "${w.metric}" of metric group "mixed-units" has the randomization units \\[user\\], not the iteration's randomizationUnit "organization"`)],
    ]);
    // createExperiment holds its iteration to the same rule, and creates nothing.
    const refused = await s.post(experimentsPath(w), { key: 'org-exp', name: 'Org', iteration: await body({ randomizationUnit: 'organization' }) });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { attribute: 'iteration.metrics[0].key', reason: expect.stringMatching(new RegExp(`^metric "${w.metric}" has the randomization units \\[user\\]`)) },
      { attribute: 'iteration.metrics[1].key', reason: expect.stringMatching(new RegExp(`^metric "${w.numericMetric}" has the randomization units \\[user\\]`)) },
    ]);
    expect((await s.get(experimentsPath(w, 'org-exp'))).status).toBe(404);
    // The metric's own unit is accepted.
    expect((await s.post(path(), await body({ metrics: [{ key: 'org-only' }], primarySingleMetricKey: 'org-only', randomizationUnit: 'organization' }))).status).toBe(200);
  });

  it('400 naming covariateId for an id that names no covariate file (an empty one means none)', async () => {
    const body = async (overrides: Record<string, unknown>) => iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, overrides);
    await rejects(await body({ covariateId: '74a49a2b-4834-4246-917e-5d85231d8c2a' }), [
      ['covariateId', /^covariate "74a49a2b-4834-4246-917e-5d85231d8c2a" not found in project "[^"]+": covariate files are uploaded in LaunchDarkly's UI, and iterlab has none$/],
    ]);
    const none = await s.post(path(), await body({ covariateId: '' }));
    expect(none.status).toBe(200);
    expect(none.body.covariateInfo).toBeUndefined();
  });

  it('an archived experiment: 400 saying so whatever else is wrong with the body, as a stale flagConfigVersion', async () => {
    await createExperimentIn(s, w, 'archived-exp');
    expect((await s.patch(experimentsPath(w, 'archived-exp'), { instructions: [{ kind: 'archiveExperiment' }] })).status).toBe(200);
    const res = await s.post(`${experimentsPath(w, 'archived-exp')}/iterations`, iterationBody({ ...w, version: (await flagVersion(s, w.project, w.flag)) + 7 }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('experimentKey: Experiment "archived-exp" is archived; restore it before creating iterations');
  });

  it('404 for an unknown project, environment or experiment, naming it', async () => {
    const body = iterationBody(w);
    const cases: [string, RegExp][] = [
      [`/api/v2/projects/nope/environments/production/experiments/exp/iterations`, /Project "nope"/],
      [`/api/v2/projects/${w.project}/environments/nope/experiments/exp/iterations`, /Environment "nope"/],
      [`/api/v2/projects/${w.project}/environments/production/experiments/nope/iterations`, /Experiment "nope"/],
      [`/api/v2/projects/${w.project}/environments/test/experiments/exp/iterations`, /Experiment "exp"/],
    ];
    for (const [url, message] of cases) {
      const res = await s.post(url, body);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(res.body.message).toMatch(message);
    }
  });

  it('405 for a verb the route does not have', async () => {
    const res = await s.request('DELETE', path());
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ code: 'method_not_allowed', message: 'Method not allowed' });
    // RFC 9110: a 405 names the methods the resource has.
    expect(res.headers.allow).toBe('POST, OPTIONS');
  });

  it('a flag or an experiment changed behind the caches’ back (no change notice) is caught by the write itself', async () => {
    // Warm the caches, then change the stored rows directly, as another process might without telling this one.
    const warm = await s.post(path(), iterationBody(w));
    expect(warm.status, JSON.stringify(warm.body)).toBe(200);
    const flag = await s.store.db.selectFrom('flags').select('id').where('key', '=', w.flag).executeTakeFirstOrThrow();
    const config = await s.store.db.selectFrom('flag_configs').selectAll().where('flag_id', '=', flag.id).where('version', '=', w.version).executeTakeFirstOrThrow();
    const bumped = { ...JSON.parse(config.doc), version: w.version + 1 };
    await s.store.tx((trx) =>
      trx.updateTable('flag_configs').set({ doc: JSON.stringify(bumped), version: w.version + 1 }).where('flag_id', '=', flag.id).where('environment_id', '=', config.environment_id).execute(),
    );
    draftBefore = await draft();
    await rejects(iterationBody(w), [[`flags.${w.flag}.flagConfigVersion`, new RegExp(`is ${w.version}, but the current version .* is ${w.version + 1}`)]]);
    const revalidated = await s.post(path(), iterationBody({ ...w, version: w.version + 1 }));
    expect(revalidated.status, JSON.stringify(revalidated.body)).toBe(200);

    await s.store.tx((trx) => trx.updateTable('experiments').set({ archived_date: Date.now() }).where('key', '=', 'exp').execute());
    const res = await s.post(path(), iterationBody({ ...w, version: w.version + 1 }));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/Experiment "exp" is archived/);
    // Put everything back as the tests below expect it (their caches are emptied by the notices of these writes).
    await s.store.tx(async (trx) => {
      await trx.updateTable('experiments').set({ archived_date: null }).where('key', '=', 'exp').execute();
      await trx.updateTable('flag_configs').set({ doc: config.doc, version: w.version }).where('flag_id', '=', flag.id).where('environment_id', '=', config.environment_id).execute();
    });
    s.deps.changed({ kind: 'flag', projectId: flag.id });
    s.deps.changed({ kind: 'experiment' });
  });

  // Last: it moves the flag's version on, which the tests above count on.
  it('validates again inside its transaction when the flag changed after the validation read it', async () => {
    const version = await flagVersion(s, w.project, w.flag);
    beforeNextTransaction(s, async () => {
      await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/offVariation', value: 0 }]);
      draftBefore = await draft();
    });
    await rejects(iterationBody({ ...w, version }), [
      [`flags.${w.flag}.flagConfigVersion`, new RegExp(`is ${version}, but the current version of flag "${w.flag}" in environment "production" is ${version + 1}`)],
    ]);
  });
});
