import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, LayersApi } from 'launchdarkly-api-typescript';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { insertTestExperiment } from './testExperiments.js';

describe('layers through the official TypeScript client (launchdarkly-api-typescript LayersApi)', () => {
  let s: TestServer;
  let api: LayersApi;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
    await insertTestExperiment(s.store, { projectKey: 'proj', environmentKey: 'production', key: 'checkout-button-color', flagKey: 'checkout-button' });
    api = new LayersApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
  });
  afterAll(() => s.close());

  it('creates, updates (plain application/json semantic patch) and lists a layer', async () => {
    const created = await api.createLayer('proj', { key: 'checkout-flow', name: 'Checkout Flow', description: 'The checkout flow' });
    expect(created.status).toBe(201);
    expect(created.data.environments).toEqual({});

    const updated = await api.updateLayer('proj', 'checkout-flow', {
      comment: 'Example comment describing the update',
      environmentKey: 'production',
      instructions: [{ experimentKey: 'checkout-button-color', kind: 'updateExperimentReservation', reservationPercent: 25 }],
    });
    expect(updated.status).toBe(200);
    expect(updated.data.environments?.production.reservations).toEqual([{ experimentKey: 'checkout-button-color', flagKey: 'checkout-button', reservationPercent: 25 }]);

    const filtered = await api.getLayers('proj', 'experimentKey:checkout-button-color');
    expect(filtered.data.totalCount).toBe(1);
    expect(filtered.data.items[0].key).toBe('checkout-flow');
  });

  it('surfaces a refused instruction as a 400 with LaunchDarkly’s error body', async () => {
    type ErrorResponse = { status: number; data: { code: string; message: string } };
    const err: ErrorResponse = await api
      .updateLayer('proj', 'checkout-flow', { environmentKey: 'production', instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'checkout-button-color', reservationPercent: 101 }] })
      .then(
        () => ({ status: 200, data: { code: '', message: '' } }),
        (e: { response: ErrorResponse }) => e.response,
      );
    expect(err.status).toBe(400);
    expect(err.data.code).toBe('invalid_request');
    expect(err.data.message).toContain('instructions[0].reservationPercent');
  });
});
