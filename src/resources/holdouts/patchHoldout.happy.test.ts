import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const pause = () => new Promise((resolve) => setTimeout(resolve, 3));

describe('patchHoldout: happy path', () => {
  let s: TestServer;
  let w: World;
  let banner: World;
  const holdouts = () => `/api/v2/projects/${w.project}/environments/${w.env}/holdouts`;
  const flagEnv = async (key: string) => (await s.get(`/api/v2/flags/${w.project}/${key}`)).body.environments.production;
  async function createHoldout(key: string, extra: Record<string, unknown> = {}): Promise<any> {
    const res = await s.post(holdouts(), { name: `Holdout ${key}`, key, holdoutamount: '10', metrics: [{ key: w.metric }], ...extra }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }
  async function patch(key: string, body: unknown): Promise<any> {
    const res = await s.patch(`${holdouts()}/${key}`, body, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }
  async function member(key: string, holdoutId: string, world: World): Promise<void> {
    const version = await flagVersion(s, w.project, world.flag);
    const res = await s.post(experimentsPath(w), { name: key, key, holdoutId, iteration: iterationBody({ ...world, version }) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  async function lifecycle(key: string, kind: 'startIteration' | 'stopIteration'): Promise<void> {
    const instruction: Record<string, unknown> = { kind };
    if (kind === 'stopIteration') {
      instruction.winningTreatmentId = (await s.get(`${experimentsPath(w, key)}?expand=treatments`)).body.currentIteration.treatments[0]._id;
    }
    const res = await s.patch(experimentsPath(w, key), { instructions: [instruction] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const flag = await s.post(`/api/v2/flags/${w.project}`, { name: 'Banner', key: 'banner' });
    expect(flag.status).toBe(201);
    expect((await s.patch(`/api/v2/flags/${w.project}/banner`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    banner = { ...w, flag: 'banner', variations: flag.body.variations.map((v: any) => v._id) };
  });
  afterAll(() => s.close());

  it('updatedAt moves when the status does: an experiment joining (enabled), its start (running), the end', async () => {
    const created = await createHoldout('moves');
    const at = async () => (await s.get(`${holdouts()}/moves`, BETA)).body;
    await pause();
    await member('moves-member', created._id, banner);
    const enabled = await at();
    expect(enabled.status).toBe('enabled');
    expect(enabled.updatedAt).toBeGreaterThan(created.updatedAt);
    await pause();
    await lifecycle('moves-member', 'startIteration');
    const running = await at();
    expect(running.status).toBe('running');
    expect(running.updatedAt).toBeGreaterThan(enabled.updatedAt);
    expect((await s.get(holdouts(), BETA)).body.items.find((h: any) => h.key === 'moves').updatedAt).toBe(running.updatedAt);
    await lifecycle('moves-member', 'stopIteration');
    await pause();
    const ended = await patch('moves', { instructions: [{ kind: 'endHoldout' }] });
    expect(ended.status).toBe('ended');
    expect(ended.updatedAt).toBeGreaterThan(running.updatedAt);
  });

  it("updateName and updateDescription answer HoldoutRep and rename the base experiment, as the experiments API shows", async () => {
    const created = await createHoldout('names', { description: 'Before' });
    await pause();
    const res = await patch('names', {
      comment: 'Clearer names',
      instructions: [
        { kind: 'updateName', value: 'Renamed holdout' },
        { kind: 'updateDescription', value: 'After' },
      ],
    });
    expect(Object.keys(res)).toEqual(['_id', 'status', 'description', 'holdoutAmount', 'createdAt', 'updatedAt', 'baseExperiment', 'experiments']);
    expect(res).toMatchObject({ _id: created._id, status: 'created', description: 'After', holdoutAmount: '10', createdAt: created.createdAt, experiments: [] });
    expect(res.updatedAt).toBeGreaterThan(created.updatedAt);
    expect(res.baseExperiment).toMatchObject({ key: 'names', name: 'Renamed holdout', description: 'After', type: 'holdout' });
    // The iteration is untouched.
    expect(res.baseExperiment.currentIteration).toEqual(created.baseExperiment.currentIteration);

    const experiment = await s.get(experimentsPath(w, 'names'));
    expect(experiment.body).toMatchObject({ name: 'Renamed holdout', description: 'After' });
    // What the base experiment lists as changeable is what patchExperiment lets change: its own fields, not its iteration.
    expect(experiment.body.mutableFieldsByStatus.not_started).toEqual({
      name: ['update'],
      description: ['update', 'remove'],
      maintainerId: ['update'],
      tags: ['add', 'update', 'remove'],
      methodology: ['update'],
      analysisConfig: ['update'],
      dataSource: ['update'],
    });
    expect(Object.keys(experiment.body.mutableFieldsByStatus.running)).toEqual(['name', 'description', 'maintainerId', 'tags']);
    expect((await s.get(`${holdouts()}/names`, BETA)).body).toMatchObject({ description: 'After', updatedAt: res.updatedAt, baseExperiment: { name: 'Renamed holdout' } });
    expect((await s.get(holdouts(), BETA)).body.items.find((h: any) => h.key === 'names').name).toBe('Renamed holdout');
  });

  it("also reads the fields the spec's example names: updateName {name}, updateDescription {description}", async () => {
    const res = await patch('names', { instructions: [{ kind: 'updateName', name: 'By name' }, { kind: 'updateDescription', description: 'By description' }] });
    expect(res).toMatchObject({ description: 'By description', baseExperiment: { name: 'By name', description: 'By description' } });
    expect((await s.get(experimentsPath(w, 'names'))).body.name).toBe('By name');
  });

  it('removeExperiment takes an experiment that has not started out of the holdout; it may then join a layer', async () => {
    const holdout = await createHoldout('lonely');
    await member('solo', holdout._id, w);
    expect((await s.get(`${holdouts()}/lonely`, BETA)).body.status).toBe('enabled');

    const res = await patch('lonely', { instructions: [{ kind: 'removeExperiment', value: 'solo' }] });
    expect(res).toMatchObject({ status: 'created', experiments: [] });
    expect((await s.get(`${holdouts()}/lonely`, BETA)).body.relatedExperiments).toEqual([]);
    const experiment = (await s.get(experimentsPath(w, 'solo'))).body;
    expect('holdoutId' in experiment).toBe(false);
    expect(experiment.currentIteration.status).toBe('not_started');

    expect((await s.post(`/api/v2/projects/${w.project}/layers`, { key: 'layer', name: 'Layer', description: '' })).status).toBe(201);
    const reserve = await s.patch(`/api/v2/projects/${w.project}/layers/layer`, {
      environmentKey: 'production',
      instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'solo', reservationPercent: 10 }],
    });
    expect(reserve.status, JSON.stringify(reserve.body)).toBe(200);
  });

  it("removeExperiment of a stopped experiment (by experimentKey) takes the holdout's prerequisite off its flag", async () => {
    const holdout = await createHoldout('busy');
    await member('button', holdout._id, w);
    await member('banner-exp', holdout._id, banner);
    await lifecycle('button', 'startIteration');
    await lifecycle('banner-exp', 'startIteration');
    expect((await flagEnv('banner')).prerequisites).toEqual([{ key: 'busy', variation: 1 }]);
    await lifecycle('banner-exp', 'stopIteration');
    const bannerVersion = (await flagEnv('banner')).version;

    const res = await patch('busy', { instructions: [{ kind: 'removeExperiment', experimentKey: 'banner-exp' }] });
    expect(res.status).toBe('running');
    expect(res.experiments).toEqual([{ key: 'button', name: 'button', environment: 'production' }]);
    const bannerFlag = await flagEnv('banner');
    expect(bannerFlag.prerequisites).toEqual([]);
    expect(bannerFlag.version).toBe(bannerVersion + 1);
    // The experiment still in the holdout keeps the prerequisite.
    expect((await flagEnv(w.flag)).prerequisites).toEqual([{ key: 'busy', variation: 1 }]);
    expect('holdoutId' in (await s.get(experimentsPath(w, 'banner-exp'))).body).toBe(false);
  });

  it('endHoldout stops its iteration with "Not in holdout" the winner and takes its flag off its experiments\' flags', async () => {
    const before = (await s.get(`${holdouts()}/busy?expand=treatments`, BETA)).body;
    expect(before.status).toBe('running');
    const notIn = before.baseExperiment.currentIteration.treatments.find((t: any) => t.name === 'Not in holdout');

    const res = await patch('busy', { instructions: [{ kind: 'endHoldout' }] });
    expect(res.status).toBe('ended');
    expect(res.baseExperiment.currentIteration).toMatchObject({ status: 'stopped', winningTreatmentId: notIn._id, winningReason: 'The holdout ended' });
    expect(res.baseExperiment.currentIteration.endedAt).toBe(res.updatedAt);
    expect((await flagEnv(w.flag)).prerequisites).toEqual([]);
    const holdoutFlag = await flagEnv('busy');
    expect(holdoutFlag.fallthrough).toEqual({ variation: 1 });

    const read = (await s.get(`${holdouts()}/busy`, BETA)).body;
    expect(read).toMatchObject({ status: 'ended', isDirty: false });
    expect(read.relatedExperiments.map((e: any) => e.key)).toEqual(['button']);
    expect((await s.get(holdouts(), BETA)).body.items.find((h: any) => h.key === 'busy').status).toBe('ended');
  });

  it('endHoldout on an ended holdout is a 200 that changes nothing, nor records an audit entry', async () => {
    const before = (await s.get(`${holdouts()}/busy?expand=treatments,draftIteration`, BETA)).body;
    const flags = [await flagEnv('busy'), await flagEnv(w.flag)];
    const entries = async () => (await s.get(`/api/v2/auditlog?limit=20&spec=${encodeURIComponent(`proj/${w.project}:env/${w.env}:holdout/busy`)}`)).body.items.length;
    const logged = await entries();
    expect(logged).toBeGreaterThan(0);
    const res = await patch('busy', { instructions: [{ kind: 'endHoldout' }] });
    expect(await entries()).toBe(logged);
    expect(res.status).toBe('ended');
    const after = (await s.get(`${holdouts()}/busy?expand=treatments,draftIteration`, BETA)).body;
    expect(after.baseExperiment).toEqual(before.baseExperiment);
    expect(after.relatedExperiments).toEqual(before.relatedExperiments);
    expect(after.status).toBe('ended');
    expect(after.updatedAt).toBe(before.updatedAt);
    expect([await flagEnv('busy'), await flagEnv(w.flag)]).toEqual(flags);
  });

  it('endHoldout before any experiment started: ended, its iteration never ran, its flag stays off', async () => {
    await createHoldout('unused');
    const res = await patch('unused', { instructions: [{ kind: 'endHoldout' }] });
    expect(res.status).toBe('ended');
    expect(res.baseExperiment.currentIteration.status).toBe('not_started');
    expect((await flagEnv('unused')).on).toBe(false);
    // An ended holdout may still be renamed.
    expect((await patch('unused', { instructions: [{ kind: 'updateName', value: 'Retired' }] })).baseExperiment.name).toBe('Retired');
  });

  it("the holdout's flag changes are flag entries of the audit log: the first start, removeExperiment, endHoldout", async () => {
    const flag = await s.post(`/api/v2/flags/${w.project}`, { name: 'Ticker', key: 'ticker' });
    expect(flag.status).toBe(201);
    expect((await s.patch(`/api/v2/flags/${w.project}/ticker`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    const ticker = { ...w, flag: 'ticker', variations: flag.body.variations.map((v: any) => v._id) };
    const holdout = await createHoldout('logged');
    await member('ticker-exp', holdout._id, ticker);
    const flagEntries = async (key: string) => {
      const spec = encodeURIComponent(`proj/${w.project}:env/*:flag/${key}`);
      const items = (await s.get(`/api/v2/auditlog?limit=20&spec=${spec}`)).body.items;
      return Promise.all(items.map(async (item: any) => (await s.get(`/api/v2/auditlog/${item._id}`)).body));
    };
    expect((await flagEntries('logged')).map((e: any) => e.accesses[0].action)).toEqual(['createFlag']);

    await lifecycle('ticker-exp', 'startIteration');
    const [started] = await flagEntries('logged');
    expect(started).toMatchObject({ kind: 'flag', name: 'Holdout logged', target: { resources: [`proj/${w.project}:env/production:flag/logged`] } });
    // Its description says whose write changed the flag.
    expect(started.description).toMatch(/^updated the flag Holdout logged in production \(by the experiment .+: startIteration\)$/);
    expect(started.previousVersion.environments.production.on).toBe(false);
    expect(started.currentVersion).toEqual((await s.get(`/api/v2/flags/${w.project}/logged`)).body);
    expect(started.accesses.map((a: any) => a.action)).toEqual(expect.arrayContaining(['updateOn', 'updateFallthrough']));
    // The experiment's own flag: the start gave it the holdout's prerequisite and the experiment's rollout.
    const [own] = await flagEntries('ticker');
    expect(own.previousVersion.environments.production.prerequisites).toEqual([]);
    expect(own.currentVersion.environments.production.prerequisites).toEqual([{ key: 'logged', variation: 1 }]);
    expect(own.accesses.map((a: any) => a.action)).toEqual(expect.arrayContaining(['updatePrerequisites', 'updateFallthrough']));

    await lifecycle('ticker-exp', 'stopIteration');
    const stopped = (await flagEntries('ticker'))[0];
    expect(stopped._id).not.toBe(own._id);
    await patch('logged', { comment: 'Done with ticker', instructions: [{ kind: 'removeExperiment', value: 'ticker-exp' }] });
    const [released] = await flagEntries('ticker');
    expect(released).toMatchObject({ kind: 'flag', comment: 'Done with ticker', accesses: [{ action: 'updatePrerequisites', resource: `proj/${w.project}:env/production:flag/ticker` }] });
    expect(released.previousVersion.environments.production.prerequisites).toEqual([{ key: 'logged', variation: 1 }]);
    expect(released.currentVersion).toEqual((await s.get(`/api/v2/flags/${w.project}/ticker`)).body);

    await patch('logged', { instructions: [{ kind: 'endHoldout' }] });
    const [ended] = await flagEntries('logged');
    expect(ended._id).not.toBe(started._id);
    expect(ended.description).toMatch(/\(by the holdout .+: endHoldout\)$/);
    expect(ended.currentVersion).toEqual((await s.get(`/api/v2/flags/${w.project}/logged`)).body);
    expect(ended.currentVersion.environments.production.fallthrough).toEqual({ variation: 1 });
    expect(ended.previousVersion._version).toBe(ended.currentVersion._version - 1);
  });
});
