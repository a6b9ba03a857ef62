import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('patchExperiment: errors', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
  });
  afterAll(() => s.close());
  const patch = (key: string, body: unknown) => s.patch(experimentsPath(w, key), body);
  const snapshot = async () => JSON.stringify([(await s.get(`${experimentsPath(w, 'exp')}?expand=draftIteration,previousIterations,treatments`)).body, (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body]);

  it('400 for bodies that are not a semantic patch, naming the problem', async () => {
    const cases: [unknown, string][] = [
      [[{ op: 'replace', path: '/name', value: 'x' }], 'body'],
      [{}, 'instructions'],
      [{ instructions: [] }, 'instructions'],
      [{ instructions: [{ kind: 'launchRocket' }] }, 'instructions[0].kind'],
      [{ instructions: [{ kind: 'updateName' }] }, 'instructions[0].value'],
      [{ instructions: [{ kind: 'updateName', value: 5 }] }, 'instructions[0].value'],
      [{ instructions: [{ kind: 'stopIteration' }] }, 'instructions[0].winningTreatmentId'],
      [{ instructions: [{ kind: 'updateExperimentFields', value: { name: { operation: 'rename' } } }] }, 'instructions[0].value.name.operation'],
    ];
    for (const [body, attribute] of cases) {
      const res = await patch('exp', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toContain(attribute);
    }
  });

  it('updateExperimentFields with an analysisConfig whose values mean nothing: 400 naming the field, nothing changed', async () => {
    const before = await snapshot();
    const res = await patch('exp', { instructions: [{ kind: 'updateExperimentFields', value: { analysisConfig: { operation: 'update', value: { significanceThreshold: '250' } } } }] });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].attribute).toBe('instructions[0].value.analysisConfig.significanceThreshold');
    const direction = await patch('exp', { instructions: [{ kind: 'updateExperimentFields', value: { analysisConfig: { operation: 'update', value: { testDirection: 'up' } } } }] });
    expect(direction.status).toBe(400);
    expect(direction.body.errors[0].attribute).toBe('instructions[0].value.analysisConfig.testDirection');
    expect(await snapshot()).toBe(before);
  });

  it('updateExperimentFields and updateName hold the values createExperiment would refuse to the same rules: 400, nothing changed', async () => {
    const before = await snapshot();
    const fields = (value: unknown) => ({ instructions: [{ kind: 'updateExperimentFields', value }] });
    const cases: [unknown, string, RegExp][] = [
      [fields({ maintainerId: { operation: 'update', value: 'nobody' } }), 'instructions[0].value.maintainerId', /member "nobody" not found/],
      [fields({ tags: { operation: 'update', value: ['ok', ''] } }), 'instructions[0].value.tags[1]', /tags\[1\]: "" must not be empty/],
      [fields({ tags: { operation: 'add', value: ['t'.repeat(65)] } }), 'instructions[0].value.tags[0]', /at most 64 characters/],
      [fields({ tags: { operation: 'add', value: ['two words'] } }), 'instructions[0].value.tags[0]', /tags\[0\]: "two words" must contain only letters, digits/],
      [fields({ tags: { operation: 'add', value: 'solo' } }), 'instructions[0].value.tags', /tags: must be an array of tags/],
      [fields({ tags: { operation: 'add', value: ['ok', 5] } }), 'instructions[0].value.tags[1]', /must be a string/],
      [fields({ tags: { operation: 'update' } }), 'instructions[0].value.tags', /tags: value must be present to update it/],
      [fields({ name: { operation: 'update', value: 'n'.repeat(1025) } }), 'instructions[0].value.name', /name: must be at most 1024 characters/],
      [fields({ name: { operation: 'update', value: '   ' } }), 'instructions[0].value.name', /name: must be a non-empty string/],
      [fields({ methodology: { operation: 'update', value: 'vibes' } }), 'instructions[0].value.methodology', /must be bayesian, frequentist or export_only/],
      [fields({ description: { operation: 'update', value: 'd'.repeat(65537) } }), 'instructions[0].value.description', /description: must be at most 65536 characters/],
      [{ instructions: [{ kind: 'updateName', value: 'n'.repeat(1025) }] }, 'instructions[0].value', /at most 1024 characters/],
      [{ instructions: [{ kind: 'updateDescription', value: 'd'.repeat(65537) }] }, 'instructions[0].value', /at most 65536 characters/],
    ];
    for (const [body, attribute, reason] of cases) {
      const res = await patch('exp', body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(res.body.errors[0].attribute).toBe(attribute);
      expect(res.body.message).toMatch(reason);
    }
    expect(await snapshot()).toBe(before);
    // What createExperiment takes, the patch takes too: a member of the account, a full-length name.
    const me = (await s.get('/api/v2/members/me')).body._id;
    const ok = await patch('exp', fields({ maintainerId: { operation: 'update', value: me }, name: { operation: 'update', value: 'n'.repeat(1024) } }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ _maintainerId: me, name: 'n'.repeat(1024) });
  });

  it('updateExperimentFields: reallocationFrequencyMillis on an experiment that is not a multi-armed bandit is not among its mutable fields (400); nothing changed', async () => {
    const before = await snapshot();
    const res = await patch('exp', { instructions: [{ kind: 'updateExperimentFields', value: { reallocationFrequencyMillis: { operation: 'update', value: 60_000 } } }] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'instructions[0]', reason: 'field "reallocationFrequencyMillis" cannot be changed with "update" while the experiment is not_started' }]);
    expect(await snapshot()).toBe(before);
  });

  it("updateExperimentFields: a remove naming nothing in the list, an add's bad item (named at its place in the request), and add or remove on a field that is no list: 400, nothing changed", async () => {
    const before = await snapshot();
    const fields = (value: unknown) => ({ instructions: [{ kind: 'updateExperimentFields', value }] });
    const cases: [unknown, string, RegExp][] = [
      [fields({ metrics: { operation: 'remove', value: ['nope'] } }), 'instructions[0].value.metrics[0]', /"nope" is not in the iteration's metrics/],
      [fields({ metrics: { operation: 'remove', value: [{ key: w.metric }, { key: w.metric, isGroup: true }] } }), 'instructions[0].value.metrics[1]', /is not in the iteration's metrics/],
      [fields({ attributes: { operation: 'remove', value: 'country' } }), 'instructions[0].value.attributes', /"country" is not in the iteration's attributes/],
      [fields({ metrics: { operation: 'add', value: [{ key: w.standardGroup, isGroup: true }, { key: 'nope' }] } }), 'instructions[0].value.metrics[1].key', /metric "nope" not found/],
      [fields({ flags: { operation: 'remove', value: [w.flag] } }), 'instructions[0]', /flags/],
      [fields({ flags: { operation: 'add', value: [w.flag] } }), 'instructions[0]', /flags/],
    ];
    for (const [body, attribute, reason] of cases) {
      const res = await patch('exp', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors[0].attribute, JSON.stringify(res.body)).toBe(attribute);
      expect(res.body.message).toMatch(reason);
    }
    expect(await snapshot()).toBe(before);
  });

  it('one invalid instruction refuses the whole patch, naming it, and changes nothing', async () => {
    const before = await snapshot();
    const res = await patch('exp', { instructions: [{ kind: 'updateName', value: 'changed' }, { kind: 'stopIteration', winningTreatmentId: 'x' }] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'instructions[1]', reason: 'there is no running iteration to stop' }]);
    expect(res.body.message).toMatch(/^instructions\[1\] \(stopIteration\)/);
    expect(await snapshot()).toBe(before);
  });

  it('startIteration refusals: flag off, no allocation; stopIteration with a winner that is not a treatment', async () => {
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
    await createExperimentIn(s, w, 'off', iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: await flagVersion(s, w.project, w.flag) } } }));
    const off = await patch('off', { instructions: [{ kind: 'startIteration' }] });
    expect(off.status).toBe(400);
    expect(off.body.message).toMatch(/flag "checkout-button" is off in environment "production"/);
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: true }]);

    const t = (name: string, baseline: boolean, v: number) => ({ name, baseline, allocationPercent: '0', parameters: [{ flagKey: w.flag, variationId: w.variations[v] }] });
    await createExperimentIn(s, w, 'zero', iterationBody(w, { treatments: [t('A', true, 0), t('B', false, 1)], flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: await flagVersion(s, w.project, w.flag) } } }));
    expect((await patch('zero', { instructions: [{ kind: 'startIteration' }] })).body.message).toMatch(/non-zero allocationPercent/);

    await createExperimentIn(s, w, 'winner', iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: await flagVersion(s, w.project, w.flag) } } }));
    expect((await patch('winner', { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const bad = await patch('winner', { instructions: [{ kind: 'stopIteration', winningTreatmentId: 'nope' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/"nope" is not a treatment/);
    const archive = await patch('winner', { instructions: [{ kind: 'archiveExperiment' }] });
    expect(archive.status).toBe(400);
    // While it runs, a change the status does not allow is refused as such, whatever its value would have met.
    const running = [
      { metrics: { operation: 'remove', value: [{ key: w.metric }] } },
      { metrics: { operation: 'update', value: [{ key: 'zzz' }] } },
      { attributes: { operation: 'remove', value: ['nothere'] } },
      { hypothesis: { operation: 'update', value: 5 } },
    ];
    for (const value of running) {
      const field = Object.keys(value)[0];
      const res = await patch('winner', { instructions: [{ kind: 'updateExperimentFields', value }] });
      expect(res.status, JSON.stringify(value)).toBe(400);
      expect(res.body.errors).toEqual([{ attribute: 'instructions[0]', reason: expect.stringMatching(new RegExp(`^field "${field}" cannot be changed with "\\w+" while the experiment is running`)) }]);
    }
    expect((await patch('winner', { instructions: [{ kind: 'stopIteration', winningTreatmentId: w.variations[0] }] })).status).toBe(200);
  });

  it('409 optimistic_locking_error when another running experiment owns the rule', async () => {
    const version = await flagVersion(s, w.project, w.flag);
    await createExperimentIn(s, w, 'owner', iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: version } } }));
    await createExperimentIn(s, w, 'second', iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: version } } }));
    expect((await patch('owner', { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const res = await patch('second', { instructions: [{ kind: 'startIteration' }] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('optimistic_locking_error');
    expect(res.body.message).toMatch(/already used by the running experiment "owner"/);

    // and while it runs, flag changes that touch the rule are refused with nothing changed
    const flagBefore = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body;
    const edits: unknown[] = [
      [{ op: 'replace', path: '/environments/production/fallthrough', value: { variation: 1 } }],
      [{ op: 'remove', path: '/variations/1' }],
    ];
    for (const edit of edits) {
      const refused = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, edit);
      expect(refused.status, JSON.stringify(edit)).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
    }
    const fallthroughEdit = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, edits[0]);
    expect(fallthroughEdit.status).toBe(409);
    expect(fallthroughEdit.body.message).toMatch(/owned by the running experiment "owner"/);
    expect((await s.del(`/api/v2/flags/${w.project}/${w.flag}`)).status).toBe(409);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body).toEqual(flagBefore);
    // other rules stay editable
    const otherRule = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/test/on', value: true }]);
    expect(otherRule.status).toBe(200);
    await patch('owner', { instructions: [{ kind: 'stopIteration', winningTreatmentId: w.variations[0] }] });
  });

  it("startIteration: 400 when a metric of the draft was deleted since, or no longer measures by the iteration's unit; nothing changed", async () => {
    const v = await createWorld(s, 'start-metrics');
    const path = (key: string) => `/api/v2/projects/${v.project}/environments/${v.env}/experiments/${key}`;
    const state = async () => JSON.stringify([(await s.get(`${path('metrics')}?expand=draftIteration,previousIterations,treatments`)).body, (await s.get(`/api/v2/flags/${v.project}/${v.flag}`)).body]);
    const start = () => s.patch(path('metrics'), { instructions: [{ kind: 'startIteration' }] });
    const withMetric = async (key: string) => iterationBody({ ...v, version: await flagVersion(s, v.project, v.flag) }, { metrics: [{ key }], primarySingleMetricKey: key });
    expect((await s.put(`/api/v2/projects/${v.project}/experimentation-settings`, { randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'organization' }] })).status).toBe(200);
    for (const key of ['temporary', 'moving']) expect((await s.post(`/api/v2/metrics/${v.project}`, { key, kind: 'custom', eventKey: key, isNumeric: false })).status).toBe(201);

    await createExperimentIn(s, v, 'metrics', await withMetric('temporary'));
    // Only a running iteration keeps a metric from being deleted.
    expect((await s.del(`/api/v2/metrics/${v.project}/temporary`)).status).toBe(204);
    let before = await state();
    let refused = await start();
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ attribute: 'instructions[0]', reason: `metric "temporary" no longer exists; change the iteration's metrics before starting` }]);
    expect(await state()).toBe(before);

    expect((await s.post(`${path('metrics')}/iterations`, await withMetric('moving'))).status).toBe(200);
    expect((await s.patch(`/api/v2/metrics/${v.project}/moving`, [{ op: 'replace', path: '/randomizationUnits', value: ['organization'] }])).status).toBe(200);
    before = await state();
    refused = await start();
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].reason).toMatch(/^metric "moving" has the randomization units \[organization\], not the iteration's randomizationUnit "user"/);
    expect(await state()).toBe(before);

    expect((await s.patch(`/api/v2/metrics/${v.project}/moving`, [{ op: 'replace', path: '/randomizationUnits', value: ['user', 'organization'] }])).status).toBe(200);
    expect((await start()).status).toBe(200);
  });

  // The iteration's unit may be taken away between making the draft and starting it: dropped from the settings, or its
  // context kind archived. Each case takes it away and gives it back.
  const registerBoth = (project: string) =>
    s.put(`/api/v2/projects/${project}/experimentation-settings`, { randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'organization' }] });
  const unitTakenAway = [
    {
      how: 'the settings no longer register the iteration\'s unit',
      project: 'start-unit',
      takeAway: (project: string) => s.put(`/api/v2/projects/${project}/experimentation-settings`, { randomizationUnits: [{ randomizationUnit: 'user', default: true }] }),
      giveBack: (project: string) => registerBoth(project),
      onStart: `randomizationUnit "organization" is no longer in the project's experimentation settings [user]; change the iteration's randomizationUnit, or register the unit again, before starting`,
      onNewIteration: 'Randomization unit "organization" not found in project settings [user]',
    },
    {
      how: "the iteration's unit is a context kind archived since it was made",
      project: 'start-archived',
      takeAway: (project: string) => s.put(`/api/v2/projects/${project}/context-kinds/organization`, { name: 'Organization', archived: true }),
      giveBack: (project: string) => s.put(`/api/v2/projects/${project}/context-kinds/organization`, { name: 'Organization', archived: false }),
      onStart: `randomizationUnit "organization" is an archived context kind, and archived context kinds cannot be used in experiments; change the iteration's randomizationUnit, or unarchive the context kind, before starting`,
      onNewIteration: 'randomization unit "organization" is an archived context kind, and archived context kinds cannot be used in experiments',
    },
  ];
  for (const { how, project, takeAway, giveBack, onStart, onNewIteration } of unitTakenAway) {
    it(`startIteration and saveAndStartNewIteration: 400 naming randomizationUnit when ${how}; nothing changed`, async () => {
      const v = await createWorld(s, project);
      const path = `/api/v2/projects/${v.project}/environments/${v.env}/experiments/by-org`;
      const state = async () => JSON.stringify([(await s.get(`${path}?expand=draftIteration,previousIterations,treatments`)).body, (await s.get(`/api/v2/flags/${v.project}/${v.flag}`)).body]);
      expect((await registerBoth(v.project)).status).toBe(200);
      expect((await s.post(`/api/v2/metrics/${v.project}`, { key: 'either', kind: 'custom', eventKey: 'either', isNumeric: false, randomizationUnits: ['user', 'organization'] })).status).toBe(201);
      const body = iterationBody({ ...v, version: await flagVersion(s, v.project, v.flag) }, { randomizationUnit: 'organization', metrics: [{ key: 'either' }], primarySingleMetricKey: 'either' });
      await createExperimentIn(s, v, 'by-org', body);
      expect((await takeAway(v.project)).status).toBe(200);

      let before = await state();
      let refused = await s.patch(path, { instructions: [{ kind: 'startIteration' }] });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('invalid_request');
      expect(refused.body.errors).toEqual([{ attribute: 'instructions[0]', reason: onStart }]);
      expect(await state()).toBe(before);

      // Given back, it starts; taken away while it runs, a new iteration made from it cannot start.
      expect((await giveBack(v.project)).status).toBe(200);
      expect((await s.patch(path, { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
      expect((await takeAway(v.project)).status).toBe(200);
      before = await state();
      refused = await s.patch(path, { instructions: [{ kind: 'saveAndStartNewIteration', value: { hypothesis: { operation: 'update', value: 'again' } } }] });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ attribute: 'instructions[0].value.randomizationUnit', reason: onNewIteration }]);
      expect(await state()).toBe(before);
      // Naming a unit it may use, it starts anew.
      const moved = await s.patch(path, { instructions: [{ kind: 'saveAndStartNewIteration', value: { randomizationUnit: { operation: 'update', value: 'user' } } }] });
      expect(moved.status).toBe(200);
      expect(moved.body.currentIteration).toMatchObject({ status: 'running', randomizationUnit: 'user' });
    });
  }

  it('saveAndStartNewIteration: 400 naming the instruction when no iteration is running (never started, or stopped); nothing changed', async () => {
    const v = await createWorld(s, 'save-and-start');
    const path = `/api/v2/projects/${v.project}/environments/${v.env}/experiments/restart`;
    const state = async () => JSON.stringify([(await s.get(`${path}?expand=draftIteration,previousIterations,treatments`)).body, (await s.get(`/api/v2/flags/${v.project}/${v.flag}`)).body]);
    const saveAndStart = () => s.patch(path, { instructions: [{ kind: 'saveAndStartNewIteration', value: { hypothesis: { operation: 'update', value: 'again' } } }] });
    await createExperimentIn(s, v, 'restart');
    let before = await state();
    let refused = await saveAndStart();
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { attribute: 'instructions[0]', reason: 'there is no running iteration to stop and start anew (the experiment is not_started); start its iteration with startIteration' },
    ]);
    expect(await state()).toBe(before);

    expect((await s.patch(path, { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    expect((await s.patch(path, { instructions: [{ kind: 'stopIteration', winningTreatmentId: v.variations[1] }] })).status).toBe(200);
    before = await state();
    refused = await saveAndStart();
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].reason).toMatch(/the experiment is stopped\); create an iteration and start it with startIteration$/);
    expect(await state()).toBe(before);
  });

  it("startIteration: 400 when a variation the draft serves was removed from the flag since; the flag's targeting is not touched", async () => {
    const v = await createWorld(s, 'start-variations');
    const created = await s.post(`/api/v2/flags/${v.project}`, {
      key: 'colour',
      name: 'Colour',
      variations: [{ value: 'grey' }, { value: 'green' }, { value: 'blue' }],
      defaults: { onVariation: 0, offVariation: 0 },
    });
    expect(created.status).toBe(201);
    const ids: string[] = created.body.variations.map((x: { _id: string }) => x._id);
    expect((await s.patch(`/api/v2/flags/${v.project}/colour`, [{ op: 'replace', path: `/environments/${v.env}/on`, value: true }])).status).toBe(200);
    const colour = { ...v, flag: 'colour', variations: [ids[0], ids[2]], version: await flagVersion(s, v.project, 'colour', v.env) };
    await createExperimentIn(s, colour, 'colours', iterationBody(colour));
    // Only a running iteration keeps its variations from being removed.
    expect((await s.patch(`/api/v2/flags/${v.project}/colour`, [{ op: 'remove', path: '/variations/2' }])).status).toBe(200);
    const path = experimentsPath(v, 'colours');
    const before = JSON.stringify([(await s.get(`${path}?expand=draftIteration`)).body, (await s.get(`/api/v2/flags/${v.project}/colour`)).body]);
    const refused = await s.patch(path, { instructions: [{ kind: 'startIteration' }] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        attribute: 'instructions[0]',
        reason: `treatment "Green" serves variation "${ids[2]}", which is no longer a variation of flag "colour"; change the iteration's treatments before starting`,
      },
    ]);
    expect(JSON.stringify([(await s.get(`${path}?expand=draftIteration`)).body, (await s.get(`/api/v2/flags/${v.project}/colour`)).body])).toBe(before);
  });

  it('404 for an unknown experiment', async () => {
    const res = await patch('nope', { instructions: [{ kind: 'updateName', value: 'x' }] });
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/Experiment "nope"/);
  });
});
