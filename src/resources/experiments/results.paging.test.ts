// Results read events a page at a time (2,000 rows): exposures and conversions beyond one page, many of them at the
// same millisecond across a page's edge, are each counted once, and a unit's first exposure still decides it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const UNITS = 4_500;

describe('results over more events than one page', () => {
  let s: TestServer;
  let w: World;

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w);
    const started = await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status).toBe(200);
    const at = started.body.currentIteration.startedAt as number;
    const exposure = (unit: number, variation: number, creationDate: number) => ({
      kind: 'feature',
      key: w.flag,
      creationDate,
      context: { kind: 'user', key: `unit-${unit}` },
      value: variation === 0,
      variation,
      version: 2,
      reason: { kind: 'FALLTHROUGH', inExperiment: true },
    });
    const events: unknown[] = [];
    // Every first exposure at the same millisecond: the pages' edges fall among equal creation dates.
    for (let u = 0; u < UNITS; u++) events.push(exposure(u, u % 2, at));
    // A later exposure to the other treatment moves nobody.
    for (let u = 0; u < 300; u++) events.push(exposure(u, (u + 1) % 2, at + 1));
    for (let u = 0; u < UNITS; u += 3) events.push({ kind: 'custom', key: 'checkout', creationDate: at + 1, context: { kind: 'user', key: `unit-${u}` } });
    const posted = await s.request('POST', '/bulk', { body: events, token: await sdkKeyOf(s, w.project) });
    expect(posted.status).toBe(202);
  });
  afterAll(() => s.close());

  it('every unit counted once, in the treatment of its first exposure, with its conversions', async () => {
    const res = await s.get(`${experimentsPath(w, 'checkout-exp')}/metrics/${w.metric}/results?expand=traffic`);
    expect(res.status).toBe(200);
    const [control, green] = res.body.treatmentResults;
    const convertedOf = (variation: number) => Array.from({ length: UNITS }, (_, u) => u).filter((u) => u % 2 === variation && u % 3 === 0).length;
    expect(control).toMatchObject({ traffic: UNITS / 2, units: UNITS / 2, eventValuesSum: convertedOf(0) });
    expect(green).toMatchObject({ traffic: UNITS / 2, units: UNITS / 2, eventValuesSum: convertedOf(1) });
  });
});
