import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { insertTestExperiment, reserveInLayer, setTestExperimentStatus } from './testExperiments.js';

describe('updateLayer: errors', () => {
  let s: TestServer;
  const path = (layer = 'checkout') => `/api/v2/projects/proj/layers/${layer}`;
  const reserve = (experimentKey: string, reservationPercent: unknown, layer = 'checkout', environmentKey = 'production') =>
    reserveInLayer(s, layer, environmentKey, experimentKey, reservationPercent);
  const snapshot = async () => (await s.get('/api/v2/projects/proj/layers')).body.items;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
    expect((await s.post('/api/v2/projects/proj/layers', { key: 'checkout', name: 'Checkout', description: '' })).status).toBe(201);
    expect((await s.post('/api/v2/projects/proj/layers', { key: 'search', name: 'Search', description: '' })).status).toBe(201);
    for (const key of ['a', 'b', 'c', 'live', 'free']) ids[key] = await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'production', key });
    await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'test', key: 'only-in-test' });
    expect((await reserve('a', 40)).status).toBe(200);
    expect((await reserve('b', 40)).status).toBe(200);
    expect((await reserve('live', 10)).status).toBe(200);
    expect((await reserve('c', 50, 'search')).status).toBe(200);
    await setTestExperimentStatus(s.store, ids.live, 'running');
  });
  afterAll(() => s.close());
  let before: unknown;
  beforeEach(async () => {
    before = await snapshot();
  });
  const unchanged = async () => expect(await snapshot()).toEqual(before);

  it('404 naming an unknown layer or project', async () => {
    const layer = await s.patch(path('nope'), { instructions: [{ kind: 'updateName', name: 'x' }] });
    expect(layer.status).toBe(404);
    expect(layer.body).toEqual({ code: 'not_found', message: 'Layer "nope" in project "proj" not found' });
    const project = await s.patch('/api/v2/projects/nope/layers/checkout', { instructions: [{ kind: 'updateName', name: 'x' }] });
    expect(project.status).toBe(404);
    expect(project.body.message).toBe('Project "nope" not found');
  });

  it('400 for a body without instructions, with none, or a JSON Patch array', async () => {
    const missing = await s.patch(path(), { comment: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ attribute: 'instructions', reason: 'must be present' }]);
    const empty = await s.patch(path(), { instructions: [] });
    expect(empty.body.errors).toEqual([{ attribute: 'instructions', reason: 'must have at least 1 item(s)' }]);
    const jsonPatch = await s.patch(path(), [{ op: 'replace', path: '/name', value: 'x' }]);
    expect(jsonPatch.status).toBe(400);
    expect(jsonPatch.body.errors[0].attribute).toBe('body');
    expect(jsonPatch.body.message).toMatch(/semantic patch/);
    const notObject = await s.patch(path(), { instructions: ['updateName'] });
    expect(notObject.body.errors).toEqual([{ attribute: 'instructions[0]', reason: 'must be an object' }]);
    await unchanged();
  });

  it('400 naming instructions[i].kind for an unknown or missing kind, and nothing is applied', async () => {
    const res = await s.patch(path(), {
      instructions: [{ kind: 'updateName', name: 'Renamed' }, { kind: 'deleteLayer' }, { name: 'no kind' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([
      { attribute: 'instructions[1].kind', reason: 'unknown instruction kind "deleteLayer"; use one of updateName, updateDescription, updateExperimentReservation, removeExperiment' },
      { attribute: 'instructions[2].kind', reason: 'must be present' },
    ]);
    expect(res.body.message).toContain('instructions[1].kind');
    await unchanged();
  });

  it('400 naming each instruction whose parameters are wrong', async () => {
    const res = await s.patch(path(), {
      environmentKey: 'production',
      instructions: [
        { kind: 'updateName', name: '' },
        { kind: 'updateDescription' },
        { kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: 101 },
        { kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: -1 },
        { kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: 10.5 },
        { kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: '10' },
        { kind: 'removeExperiment' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { attribute: 'instructions[0].name', reason: 'must not be empty' },
      { attribute: 'instructions[1].description', reason: 'must be present' },
      { attribute: 'instructions[2].reservationPercent', reason: 'must be <= 100' },
      { attribute: 'instructions[3].reservationPercent', reason: 'must be >= 0' },
      { attribute: 'instructions[4].reservationPercent', reason: 'must be an integer' },
      { attribute: 'instructions[5].reservationPercent', reason: 'must be an integer' },
      { attribute: 'instructions[6].experimentKey', reason: 'must be present' },
    ]);
    await unchanged();
  });

  it('400 naming environmentKey when a reservation instruction has none, or it is unknown', async () => {
    const missing = await s.patch(path(), { instructions: [{ kind: 'removeExperiment', experimentKey: 'a' }] });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      { attribute: 'environmentKey', reason: 'must be present: instructions[0] (removeExperiment) changes reservations in one environment' },
    ]);
    const unknown = await reserve('a', 10, 'checkout', 'staging');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ attribute: 'environmentKey', reason: 'environment "staging" not found in this project' }]);
    await unchanged();
  });

  it('400 naming the experiment when it does not exist in that environment', async () => {
    const res = await reserve('only-in-test', 10);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'instructions[0].experimentKey', reason: 'experiment "only-in-test" not found in environment "production"' }]);
    const remove = await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'removeExperiment', experimentKey: 'ghost' }] });
    expect(remove.body.errors).toEqual([{ attribute: 'instructions[0].experimentKey', reason: 'experiment "ghost" not found in environment "production"' }]);
    await unchanged();
  });

  it('400 naming the other layer when the experiment is already in one in that environment', async () => {
    const res = await reserve('c', 5);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        attribute: 'instructions[0].experimentKey',
        reason: 'experiment "c" already has a reservation in layer "search" in environment "production"; an experiment can be in one layer per environment (remove it there first)',
      },
    ]);
    await unchanged();
  });

  it('400 naming the total when reservations would exceed 100%', async () => {
    const res = await reserve('a', 51);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { attribute: 'instructions[0].reservationPercent', reason: 'reservations in environment "production" would total 101%; a layer\'s reservations may not exceed 100%' },
    ]);
    expect(res.body.message).toContain('101%');
    const two = await s.patch(path(), {
      environmentKey: 'production',
      instructions: [
        { kind: 'updateExperimentReservation', experimentKey: 'free', reservationPercent: 5 },
        { kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: 50 },
        { kind: 'updateExperimentReservation', experimentKey: 'b', reservationPercent: 40 },
      ],
    });
    expect(two.body.errors).toEqual([
      { attribute: 'instructions[1].reservationPercent', reason: 'reservations in environment "production" would total 105%; a layer\'s reservations may not exceed 100%' },
    ]);
    await unchanged();
  });

  it('400 when a running experiment would lose traffic: reduced, removed, or joining a layer', async () => {
    const reduce = await reserve('live', 5);
    expect(reduce.status).toBe(400);
    expect(reduce.body.errors).toEqual([
      {
        attribute: 'instructions[0].reservationPercent',
        reason: 'experiment "live" is running with 10% reserved; its reservation cannot be reduced (to 5%) until its iteration stops',
      },
    ]);
    const remove = await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'removeExperiment', experimentKey: 'live' }] });
    expect(remove.status).toBe(400);
    expect(remove.body.errors).toEqual([
      { attribute: 'instructions[0].experimentKey', reason: 'experiment "live" is running; its reservation cannot be removed until its iteration stops' },
    ]);
    await setTestExperimentStatus(s.store, ids.free, 'running');
    const join = await reserve('free', 0);
    expect(join.status).toBe(400);
    expect(join.body.errors).toEqual([
      { attribute: 'instructions[0].experimentKey', reason: 'experiment "free" is running; it can join a layer only before its iteration starts' },
    ]);
    await setTestExperimentStatus(s.store, ids.free, 'not_started');
    await unchanged();
  });

  it('reports every refused instruction at once and applies none of the valid ones', async () => {
    const res = await s.patch(path(), {
      environmentKey: 'production',
      instructions: [
        { kind: 'updateName', name: 'Renamed' },
        { kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: 10 },
        { kind: 'updateExperimentReservation', experimentKey: 'ghost', reservationPercent: 10 },
        { kind: 'removeExperiment', experimentKey: 'live' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toEqual(['instructions[2].experimentKey', 'instructions[3].experimentKey']);
    await unchanged();
  });

  it('concurrent reservations of one experiment in two layers: one wins, the other is refused', async () => {
    const [first, second] = await Promise.all([reserve('free', 5, 'checkout'), reserve('free', 5, 'search')]);
    // 400 when the loser reads the winner's commit; 409 (retry) should both pass their checks before either commits.
    const [winner, loser] = [first.status, second.status].sort();
    expect(winner).toBe(200);
    expect([400, 409]).toContain(loser);
    const holding = (await s.get('/api/v2/projects/proj/layers?filter=experimentKey:free')).body.items;
    expect(holding).toHaveLength(1);
  });

  it('concurrent raises in one layer cannot together pass 100%', async () => {
    const layers = await snapshot();
    const checkout = layers.find((l: { key: string }) => l.key === 'checkout');
    const used = checkout.environments.production.reservations.reduce((sum: number, r: { reservationPercent: number }) => sum + r.reservationPercent, 0);
    const room = 100 - used;
    const [x, y] = await Promise.all([reserve('a', 40 + room), reserve('b', 40 + room)]);
    expect([x.status, y.status].sort()).toEqual([200, 400]);
  });
});
