import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { insertTestExperiment, reserveInLayer } from './testExperiments.js';

describe('getLayers: happy path', () => {
  let s: TestServer;
  const reserve = (layer: string, environmentKey: string, experimentKey: string, reservationPercent: number) => reserveInLayer(s, layer, environmentKey, experimentKey, reservationPercent);

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
    expect((await s.post('/api/v2/projects', { name: 'Other', key: 'other' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('an empty project has an empty collection', async () => {
    const res = await s.get('/api/v2/projects/proj/layers');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], totalCount: 0, _links: { self: { href: '/api/v2/projects/proj/layers', type: 'application/json' } } });
  });

  it('lists every layer in creation order, with reservations per environment', async () => {
    for (const key of ['checkout', 'search', 'empty']) {
      expect((await s.post('/api/v2/projects/proj/layers', { key, name: key, description: `${key} layer` })).status).toBe(201);
    }
    expect((await s.post('/api/v2/projects/other/layers', { key: 'elsewhere', name: 'x', description: '' })).status).toBe(201);
    await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'production', key: 'button', flagKey: 'button-flag' });
    await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'production', key: 'banner', flagKey: 'banner-flag' });
    await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'test', key: 'button', flagKey: 'button-flag' });
    await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'production', key: 'ranking' });
    expect((await reserve('checkout', 'production', 'button', 30)).status).toBe(200);
    expect((await reserve('checkout', 'production', 'banner', 50)).status).toBe(200);
    expect((await reserve('checkout', 'test', 'button', 100)).status).toBe(200);
    expect((await reserve('search', 'production', 'ranking', 0)).status).toBe(200);

    const res = await s.get('/api/v2/projects/proj/layers');
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBe(3);
    expect(res.body.items.map((l: { key: string }) => l.key)).toEqual(['checkout', 'search', 'empty']);
    expect(res.body.items[0]).toEqual({
      key: 'checkout',
      name: 'checkout',
      description: 'checkout layer',
      createdAt: expect.any(Number),
      randomizationUnit: 'user',
      environments: {
        production: {
          reservations: [
            { experimentKey: 'button', flagKey: 'button-flag', reservationPercent: 30 },
            { experimentKey: 'banner', flagKey: 'banner-flag', reservationPercent: 50 },
          ],
        },
        test: { reservations: [{ experimentKey: 'button', flagKey: 'button-flag', reservationPercent: 100 }] },
      },
    });
    expect(res.body.items[1].environments).toEqual({ production: { reservations: [{ experimentKey: 'ranking', flagKey: 'ranking-flag', reservationPercent: 0 }] } });
    expect(res.body.items[2].environments).toEqual({});
  });

  it('filter=experimentKey:<key> keeps the layers holding that experiment in any environment', async () => {
    await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'test', key: 'ranking' });
    expect((await reserve('search', 'test', 'ranking', 10)).status).toBe(200);
    expect((await reserve('search', 'test', 'button', 10)).status).toBe(400); // button is in checkout in test

    const button = await s.get('/api/v2/projects/proj/layers?filter=experimentKey:button');
    expect(button.status).toBe(200);
    expect(button.body.items.map((l: { key: string }) => l.key)).toEqual(['checkout']);
    expect(button.body.totalCount).toBe(1);
    expect(button.body._links.self.href).toBe('/api/v2/projects/proj/layers?filter=experimentKey%3Abutton');

    // the filtered layers are represented whole, every environment and experiment included
    expect(Object.keys(button.body.items[0].environments)).toEqual(['production', 'test']);

    const ranking = await s.get('/api/v2/projects/proj/layers?filter=experimentKey:ranking');
    expect(ranking.body.items.map((l: { key: string }) => l.key)).toEqual(['search']);

    const none = await s.get('/api/v2/projects/proj/layers?filter=experimentKey:unknown');
    expect(none.body).toMatchObject({ items: [], totalCount: 0 });
  });

  it("also reads the spec's own filter example, `reservations.experimentKey contains <key>`", async () => {
    const res = await s.get(`/api/v2/projects/proj/layers?filter=${encodeURIComponent('reservations.experimentKey contains banner')}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((l: { key: string }) => l.key)).toEqual(['checkout']);
  });
});
