import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { findLayerReservation } from './model.js';
import { insertTestExperiment, reserveInLayer } from './testExperiments.js';

describe('findLayerReservation', () => {
  let s: TestServer;
  let projectId: string;
  let otherProjectId: string;

  beforeAll(async () => {
    s = await startServer();
    projectId = (await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).body._id;
    otherProjectId = (await s.post('/api/v2/projects', { name: 'Other', key: 'other' })).body._id;
    await s.post('/api/v2/projects/proj/layers', { key: 'checkout', name: 'Checkout Flow', description: '' });
    await s.post('/api/v2/projects/proj/layers', { key: 'search', name: 'Search', description: '' });
    await s.post('/api/v2/projects/other/layers', { key: 'checkout', name: 'Other checkout', description: '' });
    for (const key of ['a', 'b', 'c', 'd', 'alone']) await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'production', key });
    await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'test', key: 'a' });
    await insertTestExperiment(s.store, { projectKey: 'other', environmentKey: 'production', key: 'a' });
    for (const [layer, env, key, pct, project] of [
      ['checkout', 'production', 'a', 20, 'proj'],
      ['checkout', 'production', 'b', 30, 'proj'],
      ['checkout', 'production', 'c', 15, 'proj'],
      ['search', 'production', 'd', 60, 'proj'],
      ['checkout', 'test', 'a', 90, 'proj'],
      ['checkout', 'production', 'a', 45, 'other'],
    ] as const) {
      expect((await reserveInLayer(s, layer, env, key, pct, project)).status).toBe(200);
    }
  });
  afterAll(() => s.close());

  it("returns the layer, the experiment's reservation and the sum of the others in that layer and environment", async () => {
    expect(await findLayerReservation(s.store.db, projectId, 'production', 'a')).toMatchObject({
      layer: { key: 'checkout', name: 'Checkout Flow' },
      reservationPercent: 20,
      otherReservationPercent: 45,
    });
    expect(await findLayerReservation(s.store.db, projectId, 'production', 'c')).toMatchObject({
      layer: { key: 'checkout', name: 'Checkout Flow' },
      reservationPercent: 15,
      otherReservationPercent: 50,
    });
  });

  it('reports 0 others for the only experiment of a layer, and undefined outside any layer', async () => {
    expect(await findLayerReservation(s.store.db, projectId, 'production', 'd')).toMatchObject({ layer: { key: 'search', name: 'Search' }, reservationPercent: 60, otherReservationPercent: 0 });
    expect(await findLayerReservation(s.store.db, projectId, 'production', 'alone')).toBeUndefined();
    expect(await findLayerReservation(s.store.db, projectId, 'production', 'missing')).toBeUndefined();
    expect(await findLayerReservation(s.store.db, projectId, 'nowhere', 'a')).toBeUndefined();
  });

  it('keeps environments and projects apart', async () => {
    expect(await findLayerReservation(s.store.db, projectId, 'test', 'a')).toMatchObject({ layer: { key: 'checkout', name: 'Checkout Flow' }, reservationPercent: 90, otherReservationPercent: 0 });
    expect(await findLayerReservation(s.store.db, otherProjectId, 'production', 'a')).toMatchObject({
      layer: { key: 'checkout', name: 'Other checkout' },
      reservationPercent: 45,
      otherReservationPercent: 0,
    });
    expect(await findLayerReservation(s.store.db, otherProjectId, 'test', 'a')).toBeUndefined();
  });

  it('reads inside a transaction what that transaction has written', async () => {
    const seen = await s.store.tx(async (trx) => {
      await trx.updateTable('layer_reservations').set({ reservation_percent: 1 }).where('experiment_id', 'in', trx.selectFrom('experiments').select('id').where('project_id', '=', projectId).where('key', '=', 'b')).execute();
      const inside = await findLayerReservation(trx, projectId, 'production', 'a');
      throw Object.assign(new Error('rollback'), { inside });
    }).catch((err: { inside: unknown }) => err.inside);
    expect(seen).toMatchObject({ layer: { key: 'checkout', name: 'Checkout Flow' }, reservationPercent: 20, otherReservationPercent: 16 });
    expect((await findLayerReservation(s.store.db, projectId, 'production', 'a'))?.otherReservationPercent).toBe(45);
  });
});
