// What the experiments and layers APIs refuse because of holdouts: joining a holdout that is unknown here, ended, or
// randomizes otherwise; a "holdout" type made by hand; managing a holdout's base experiment as an experiment; an
// experiment of a holdout in a layer; starting one whose flag has another prerequisite. Each refusal writes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

type FieldError = { attribute: string; reason: string };

describe('holdout members: refusals of the experiments and layers APIs', () => {
  let s: TestServer;
  let w: World;
  const ids: Record<string, string> = {};
  const holdouts = (env = 'production') => `/api/v2/projects/${w.project}/environments/${env}/holdouts`;
  const layer = () => `/api/v2/projects/${w.project}/layers/layer`;
  const flag = async (key: string) => (await s.get(`/api/v2/flags/${w.project}/${key}`)).body;
  const baseRefusal = (key: string) =>
    `experiment "${key}" is the base experiment of holdout "${key}": it starts with the holdout's first experiment and stops when the holdout ends (PATCH …/holdouts/${key}, endHoldout), and its iteration cannot be changed`;

  const read = async (path: string, options = {}) => {
    const res = await s.get(path, options);
    expect(res.status, path).toBe(200);
    return res.body;
  };
  /** Everything the refused writes could have touched. */
  const snapshot = async () =>
    JSON.stringify([
      await read(`${experimentsPath(w)}?lifecycleState=active,archived&expand=draftIteration,previousIterations,treatments,secondaryMetrics&limit=50`),
      await read(`${holdouts()}?limit=50`, BETA),
      await read(`${holdouts('test')}?limit=50`, BETA),
      await read(`${holdouts()}/hold?expand=draftIteration,treatments,rel-draftIteration,rel-treatments`, BETA),
      await read(`/api/v2/projects/${w.project}/layers`),
      await read(`/api/v2/flags/${w.project}/hold`),
      await read(`/api/v2/flags/${w.project}/${w.flag}`),
    ]);
  let before: string;
  beforeEach(async () => {
    before = await snapshot();
  });
  const unchanged = async () => expect(await snapshot()).toBe(before);

  function expectErrors(res: { status: number; body: any }, errors: FieldError[]) {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual(errors);
    for (const e of errors) expect(res.body.message).toContain(e.attribute);
  }

  async function createHoldout(key: string, extra: Record<string, unknown> = {}, env = 'production'): Promise<string> {
    const res = await s.post(holdouts(env), { name: `Holdout ${key}`, key, holdoutamount: '10', metrics: [{ key: w.metric }], ...extra }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body._id;
  }
  const iteration = async (overrides: Record<string, unknown> = {}) => iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, overrides);

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const units = await s.put(`/api/v2/projects/${w.project}/experimentation-settings`, {
      randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'organization' }],
    });
    expect(units.status).toBe(200);
    // A metric must measure by the unit of the iteration using it: these measure by both.
    for (const key of [w.metric, w.numericMetric]) {
      const both = await s.patch(`/api/v2/metrics/${w.project}/${key}`, [{ op: 'replace', path: '/randomizationUnits', value: ['user', 'organization'] }]);
      expect(both.status).toBe(200);
    }
    ids.hold = await createHoldout('hold');
    ids.orgHold = await createHoldout('org-hold', { randomizationunit: 'organization' });
    ids.done = await createHoldout('done');
    expect((await s.patch(`${holdouts()}/done`, { instructions: [{ kind: 'endHoldout' }] }, BETA)).status).toBe(200);
    ids.testHold = await createHoldout('test-hold', {}, 'test');
    const member = await s.post(experimentsPath(w), { name: 'Member', key: 'member', holdoutId: ids.hold, iteration: await iteration() });
    expect(member.status, JSON.stringify(member.body)).toBe(201);
    expect((await s.post(`/api/v2/projects/${w.project}/layers`, { key: 'layer', name: 'Layer', description: '' })).status).toBe(201);
    expect((await s.post(`/api/v2/flags/${w.project}`, { name: 'Gate', key: 'gate' })).status).toBe(201);
  });
  afterAll(() => s.close());

  describe('createExperiment', () => {
    async function refused(body: Record<string, unknown>, errors: FieldError[]) {
      const res = await s.post(experimentsPath(w), { name: 'New', key: 'new', iteration: await iteration(), ...body });
      expectErrors(res, errors);
      expect((await s.get(experimentsPath(w, 'new'))).status).toBe(404);
      await unchanged();
    }

    it("400 naming holdoutId for an _id that is no holdout of this environment (another environment's included)", async () => {
      await refused({ holdoutId: 'nope' }, [{ attribute: 'holdoutId', reason: 'there is no holdout with _id "nope" in environment "production"' }]);
      await refused({ holdoutId: ids.testHold }, [{ attribute: 'holdoutId', reason: `there is no holdout with _id "${ids.testHold}" in environment "production"` }]);
      const experimentId = (await s.get(experimentsPath(w, 'member'))).body._id;
      await refused({ holdoutId: experimentId }, [{ attribute: 'holdoutId', reason: `there is no holdout with _id "${experimentId}" in environment "production"` }]);
    });

    it('400 naming holdoutId for a holdout that ended', async () => {
      await refused({ holdoutId: ids.done }, [{ attribute: 'holdoutId', reason: 'holdout "done" has ended; it takes no more experiments' }]);
    });

    it("400 naming iteration.randomizationUnit when it is not the holdout's", async () => {
      await refused({ holdoutId: ids.orgHold }, [
        { attribute: 'iteration.randomizationUnit', reason: 'holdout "org-hold" randomizes by "organization"; an experiment in it must too' },
      ]);
      await refused({ holdoutId: ids.hold, iteration: await iteration({ randomizationUnit: 'organization' }) }, [
        { attribute: 'iteration.randomizationUnit', reason: 'holdout "hold" randomizes by "user"; an experiment in it must too' },
      ]);
    });

    it("400 naming iteration.flags.<key> for an iteration on a holdout's flag, in the holdout or not", async () => {
      const flag = (await s.get(`/api/v2/flags/${w.project}/hold`)).body;
      const [inId, notInId] = flag.variations.map((v: { _id: string }) => v._id);
      const body = await iteration({
        treatments: [
          { name: 'A', baseline: true, allocationPercent: '50', parameters: [{ flagKey: 'hold', variationId: inId }] },
          { name: 'B', baseline: false, allocationPercent: '50', parameters: [{ flagKey: 'hold', variationId: notInId }] },
        ],
        flags: { hold: { ruleId: 'fallthrough', flagConfigVersion: flag.environments.production.version } },
      });
      const errors = [{ attribute: 'iteration.flags.hold', reason: `flag "hold" is a holdout's flag; experiments cannot run on it` }];
      await refused({ holdoutId: ids.hold, iteration: body }, errors);
      // Outside the holdout too: its rollout would take the rule the holdout's split lives on.
      await refused({ iteration: body }, errors);
    });

    it('400 naming type for type "holdout": holdouts are made through the holdouts API', async () => {
      const reason = 'an experiment of type "holdout" is made by creating a holdout (POST …/environments/{environmentKey}/holdouts)';
      await refused({ type: 'holdout' }, [{ attribute: 'type', reason }]);
      await refused({ type: 'holdout', holdoutId: ids.hold }, [{ attribute: 'type', reason }]);
      await refused({ type: 'holdout', holdoutId: 'nope' }, [
        { attribute: 'holdoutId', reason: 'there is no holdout with _id "nope" in environment "production"' },
        { attribute: 'type', reason },
      ]);
    });

    it('an iteration that randomizes as the holdout does joins it', async () => {
      const res = await s.post(experimentsPath(w), { name: 'Orgs', key: 'orgs', holdoutId: ids.orgHold, iteration: await iteration({ randomizationUnit: 'organization' }) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.holdoutId).toBe(ids.orgHold);
      expect((await s.get(`${holdouts()}/org-hold`, BETA)).body.relatedExperiments.map((e: any) => e.key)).toEqual(['orgs']);
    });
  });

  describe("patchExperiment on a holdout's base experiment", () => {
    it('400 for every instruction that starts, stops, archives, restores or changes its iteration; nothing changes', async () => {
      const treatment = (await s.get(`${experimentsPath(w, 'hold')}?expand=treatments`)).body.currentIteration.treatments[0]._id;
      const instructions: Record<string, unknown>[] = [
        { kind: 'startIteration' },
        { kind: 'startIteration', changeJustification: 'really' },
        { kind: 'stopIteration', winningTreatmentId: treatment },
        { kind: 'archiveExperiment' },
        { kind: 'restoreExperiment' },
        { kind: 'saveAndStartNewIteration' },
        { kind: 'updateExperimentFields', value: { hypothesis: { operation: 'update', value: 'Changed' } } },
        { kind: 'updateExperimentFields', value: { randomizationUnit: { operation: 'update', value: 'organization' } } },
        { kind: 'updateExperimentFields', value: { metrics: { operation: 'add', value: [{ key: w.numericMetric }] } } },
      ];
      for (const instruction of instructions) {
        const res = await s.patch(experimentsPath(w, 'hold'), { instructions: [instruction] });
        expectErrors(res, [{ attribute: 'instructions[0]', reason: baseRefusal('hold') }]);
        await unchanged();
      }
      expect((await flag('hold')).environments.production.on).toBe(false);
      expect((await s.get(`${holdouts()}/hold`, BETA)).body.status).toBe('enabled');
    });

    it('a patch that renames and starts is refused whole, naming the start', async () => {
      const res = await s.patch(experimentsPath(w, 'hold'), { instructions: [{ kind: 'updateName', value: 'Sneaky' }, { kind: 'startIteration' }] });
      expectErrors(res, [{ attribute: 'instructions[1]', reason: baseRefusal('hold') }]);
      await unchanged();
      expect((await s.get(experimentsPath(w, 'hold'))).body.name).toBe('Holdout hold');
    });

    it('updateName and updateDescription are allowed, and the holdout shows them', async () => {
      const res = await s.patch(experimentsPath(w, 'hold'), { instructions: [{ kind: 'updateName', value: 'Renamed via experiments' }, { kind: 'updateDescription', value: 'Described' }] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ name: 'Renamed via experiments', description: 'Described', type: 'holdout' });
      expect((await s.get(`${holdouts()}/hold`, BETA)).body).toMatchObject({ description: 'Described', status: 'enabled', baseExperiment: { name: 'Renamed via experiments' } });
    });
  });

  describe("createIteration on a holdout's base experiment", () => {
    it('400 naming experimentKey; its iteration is unchanged', async () => {
      const res = await s.post(`${experimentsPath(w, 'hold')}/iterations`, await iteration());
      expectErrors(res, [{ attribute: 'experimentKey', reason: 'experiment "hold" is the base experiment of holdout "hold"; its iteration cannot be replaced' }]);
      await unchanged();
    });
  });

  describe('updateLayer', () => {
    it('updateExperimentReservation refuses an experiment that is in a holdout; the whole patch is refused', async () => {
      const reason = 'experiment "member" is in a holdout; an experiment in a holdout cannot be in a layer';
      const alone = await s.patch(layer(), { environmentKey: 'production', instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'member', reservationPercent: 10 }] });
      expectErrors(alone, [{ attribute: 'instructions[0].experimentKey', reason }]);
      await unchanged();

      const mixed = await s.patch(layer(), {
        environmentKey: 'production',
        instructions: [
          { kind: 'updateName', name: 'Renamed layer' },
          { kind: 'updateExperimentReservation', experimentKey: 'member', reservationPercent: 0 },
        ],
      });
      expectErrors(mixed, [{ attribute: 'instructions[1].experimentKey', reason }]);
      await unchanged();
      expect((await s.get(`/api/v2/projects/${w.project}/layers`)).body.items[0]).toMatchObject({ name: 'Layer', environments: {} });
    });
  });

  describe("updateLayer and a holdout's base experiment", () => {
    it('updateExperimentReservation refuses the base experiment; the layer is unchanged', async () => {
      const res = await s.patch(layer(), { environmentKey: 'production', instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'hold', reservationPercent: 10 }] });
      expectErrors(res, [{ attribute: 'instructions[0].experimentKey', reason: 'experiment "hold" is a holdout\'s base experiment; it cannot be in a layer' }]);
      await unchanged();
    });
  });

  describe('startIteration of an experiment in a holdout', () => {
    it("400 when its flag has another prerequisite; nothing starts, neither it nor the holdout's iteration", async () => {
      const added = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'add', path: '/environments/production/prerequisites/-', value: { key: 'gate', variation: 0 } }]);
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      before = await snapshot();

      const res = await s.patch(experimentsPath(w, 'member'), { instructions: [{ kind: 'startIteration' }] });
      expectErrors(res, [{ attribute: 'instructions[0]', reason: `flag "${w.flag}" has the prerequisite "gate"; a flag in a holdout's experiment can have no prerequisite but the holdout's` }]);
      expect(res.body.message).toBe(`instructions[0] (startIteration): ${res.body.errors[0].reason}`);
      await unchanged();
      const memberFlag = (await flag(w.flag)).environments.production;
      expect(memberFlag.prerequisites).toEqual([{ key: 'gate', variation: 0 }]);
      const holdout = (await s.get(`${holdouts()}/hold`, BETA)).body;
      expect(holdout).toMatchObject({ status: 'enabled', isDirty: false, baseExperiment: { currentIteration: { status: 'not_started' } } });
      expect((await flag('hold')).environments.production.on).toBe(false);
    });

    it("without the other prerequisite it starts, and starts the holdout's iteration with it", async () => {
      expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/prerequisites', value: [] }])).status).toBe(200);
      const res = await s.patch(experimentsPath(w, 'member'), { instructions: [{ kind: 'startIteration' }] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.currentIteration.status).toBe('running');
      expect((await flag(w.flag)).environments.production.prerequisites).toEqual([{ key: 'hold', variation: 1 }]);
      const holdout = (await s.get(`${holdouts()}/hold`, BETA)).body;
      expect(holdout).toMatchObject({ status: 'running', isDirty: true });
      expect(holdout.baseExperiment.currentIteration).toMatchObject({ status: 'running', startedAt: res.body.currentIteration.startedAt });
      expect((await flag('hold')).environments.production.on).toBe(true);
    });

    it("once running, the holdout's base experiment still cannot be stopped through the experiments API", async () => {
      const res = await s.patch(experimentsPath(w, 'hold'), { instructions: [{ kind: 'stopIteration', winningTreatmentId: 'x' }] });
      expectErrors(res, [{ attribute: 'instructions[0]', reason: baseRefusal('hold') }]);
      await unchanged();
      expect((await s.get(experimentsPath(w, 'hold'))).body.currentIteration.status).toBe('running');
    });
  });
});
