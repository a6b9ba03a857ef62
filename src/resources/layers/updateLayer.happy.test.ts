import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { insertTestExperiment, setTestExperimentStatus } from './testExperiments.js';

const SEMANTIC = { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } };

describe('updateLayer: happy path', () => {
  let s: TestServer;
  const path = (layer = 'checkout') => `/api/v2/projects/proj/layers/${layer}`;
  const reservations = async (layer = 'checkout', env = 'production') => {
    const list = await s.get('/api/v2/projects/proj/layers');
    const rep = list.body.items.find((l: { key: string }) => l.key === layer);
    return (rep.environments[env]?.reservations ?? []).map((r: { experimentKey: string; reservationPercent: number }) => [r.experimentKey, r.reservationPercent]);
  };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
    expect((await s.post('/api/v2/projects/proj/layers', { key: 'checkout', name: 'Checkout', description: 'before' })).status).toBe(201);
    expect((await s.post('/api/v2/projects/proj/layers', { key: 'search', name: 'Search', description: '' })).status).toBe(201);
    for (const key of ['a', 'b', 'c', 'd']) ids[key] = await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'production', key });
    ids['test:a'] = await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'test', key: 'a' });
  });
  afterAll(() => s.close());

  it('renames and redescribes, with plain JSON and with the semantic-patch content type', async () => {
    const plain = await s.patch(path(), { instructions: [{ kind: 'updateName', name: 'Checkout flow' }] });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ key: 'checkout', name: 'Checkout flow', description: 'before', environments: {} });
    const semantic = await s.patch(path(), { comment: 'clearer', instructions: [{ kind: 'updateDescription', description: 'after' }] }, SEMANTIC);
    expect(semantic.status).toBe(200);
    expect(semantic.body).toMatchObject({ name: 'Checkout flow', description: 'after' });
  });

  it('adds, changes and removes reservations in one environment', async () => {
    const added = await s.patch(path(), {
      environmentKey: 'production',
      instructions: [
        { kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: 25 },
        { kind: 'updateExperimentReservation', experimentKey: 'b', reservationPercent: 0 },
      ],
    });
    expect(added.status).toBe(200);
    expect(added.body.environments).toEqual({
      production: {
        reservations: [
          { experimentKey: 'a', flagKey: 'a-flag', reservationPercent: 25 },
          { experimentKey: 'b', flagKey: 'b-flag', reservationPercent: 0 },
        ],
      },
    });
    const changed = await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: 40 }] }, SEMANTIC);
    expect(changed.status).toBe(200);
    // a changed reservation keeps its place
    expect(await reservations()).toEqual([
      ['a', 40],
      ['b', 0],
    ]);
    const removed = await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'removeExperiment', experimentKey: 'b' }] });
    expect(removed.status).toBe(200);
    expect(await reservations()).toEqual([['a', 40]]);
  });

  it('keeps environments apart: the same experiment key in another environment is another experiment', async () => {
    const res = await s.patch(path(), { environmentKey: 'test', instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: 70 }] });
    expect(res.status).toBe(200);
    expect(await reservations('checkout', 'production')).toEqual([['a', 40]]);
    expect(await reservations('checkout', 'test')).toEqual([['a', 70]]);
  });

  it('judges the total after all instructions: a patch may shrink one reservation to grow another', async () => {
    const full = await s.patch(path(), {
      environmentKey: 'production',
      instructions: [
        { kind: 'updateExperimentReservation', experimentKey: 'c', reservationPercent: 60 },
        { kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: 20 },
        { kind: 'updateExperimentReservation', experimentKey: 'd', reservationPercent: 20 },
      ],
    });
    expect(full.status).toBe(200);
    expect(await reservations()).toEqual([
      ['a', 20],
      ['c', 60],
      ['d', 20],
    ]);
  });

  it('is a no-op success for removing an experiment the layer does not hold, or setting the same percent', async () => {
    const newest = async () => (await s.get('/api/v2/auditlog?limit=1')).body.items[0]._id;
    const before = await newest();
    const res = await s.patch(path('search'), { environmentKey: 'production', instructions: [{ kind: 'removeExperiment', experimentKey: 'a' }] });
    // Nothing changed: no audit entry.
    expect(await newest()).toBe(before);
    expect(res.status).toBe(200);
    expect(res.body.environments).toEqual({});
    expect((await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'a', reservationPercent: 20 }] })).status).toBe(200);
    expect(await reservations()).toEqual([
      ['a', 20],
      ['c', 60],
      ['d', 20],
    ]);
  });

  it('lets a running experiment grow, keep or be set to its reservation; a stopped one may shrink or leave', async () => {
    await setTestExperimentStatus(s.store, ids.c, 'running');
    await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'removeExperiment', experimentKey: 'd' }] });
    const grow = await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'c', reservationPercent: 80 }] });
    expect(grow.status).toBe(200);
    const same = await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'c', reservationPercent: 80 }] });
    expect(same.status).toBe(200);
    await setTestExperimentStatus(s.store, ids.c, 'stopped');
    const shrink = await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'c', reservationPercent: 10 }] });
    expect(shrink.status).toBe(200);
    const leave = await s.patch(path(), { environmentKey: 'production', instructions: [{ kind: 'removeExperiment', experimentKey: 'c' }] });
    expect(leave.status).toBe(200);
    expect(await reservations()).toEqual([['a', 20]]);
  });

  it('records one audit entry with the comment, before and after', async () => {
    await s.patch(path('search'), { comment: 'why not', instructions: [{ kind: 'updateName', name: 'Search v2' }] });
    const entries = await s.store.db.selectFrom('audit_log').selectAll().where('resource', '=', 'proj/proj:layer/search').execute();
    const last = JSON.parse(entries.map((e) => e.doc).find((doc) => doc.includes('why not'))!);
    expect(last).toMatchObject({ action: 'updateLayer', comment: 'why not', before: { name: 'Search' }, after: { name: 'Search v2' } });
  });

  it('tunnels through POST with X-HTTP-Method-Override: PATCH', async () => {
    const res = await s.post(path('search'), { instructions: [{ kind: 'updateName', name: 'Search v3' }] }, { headers: { 'X-HTTP-Method-Override': 'PATCH' } });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Search v3');
  });
});
