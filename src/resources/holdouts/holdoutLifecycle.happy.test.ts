import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('holdouts: from creation to end, with the official Node SDK', () => {
  let s: TestServer;
  let w: World;
  const holdouts = () => `/api/v2/projects/${w.project}/environments/${w.env}/holdouts`;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('a holdout moves created -> enabled -> running -> ended; its experiments\' flags depend on its flag while it runs', async () => {
    const created = await s.post(holdouts(), { name: 'Q3 holdout', key: 'q3', description: 'Everything in Q3', holdoutamount: '10', metrics: [{ key: w.metric }], randomizationunit: 'user' }, BETA);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'created', description: 'Everything in Q3', holdoutAmount: '10', experiments: [] });
    expect(created.body._id).toMatch(/^[0-9a-f-]{36}$/);
    const base = created.body.baseExperiment;
    expect(base).toMatchObject({ key: 'q3', name: 'Q3 holdout', type: 'holdout', environmentKey: w.env });
    expect(base.currentIteration.treatments.map((t: any) => [t.name, t.allocationPercent, t.baseline])).toEqual([
      ['In holdout', '10', true],
      ['Not in holdout', '90', false],
    ]);
    expect(Object.keys(base.currentIteration.flags)).toEqual(['q3']);

    const flag = await s.get(`/api/v2/flags/${w.project}/q3`);
    expect(flag.body).toMatchObject({ _purpose: 'holdout', kind: 'boolean' });
    expect(flag.body.variations.map((v: any) => v.name)).toEqual(['In holdout', 'Not in holdout']);
    expect(flag.body.environments[w.env].on).toBe(false);

    const version = await flagVersion(s, w.project, w.flag, w.env);
    const exp = await s.post(experimentsPath(w), { name: 'Button', key: 'button', holdoutId: created.body._id, iteration: iterationBody({ ...w, version }) });
    expect(exp.status, JSON.stringify(exp.body)).toBe(201);
    expect(exp.body.holdoutId).toBe(created.body._id);
    const enabled = await s.get(`${holdouts()}/q3`, BETA);
    expect(enabled.body).toMatchObject({ status: 'enabled', isDirty: false });
    expect(enabled.body.relatedExperiments.map((e: any) => e.key)).toEqual(['button']);

    const started = await s.patch(experimentsPath(w, 'button'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const running = await s.get(`${holdouts()}/q3?expand=treatments,rel-treatments`, BETA);
    expect(running.body).toMatchObject({ status: 'running', isDirty: true });
    expect(running.body.baseExperiment.currentIteration.status).toBe('running');
    const holdoutFlag = (await s.get(`/api/v2/flags/${w.project}/q3`)).body.environments[w.env];
    expect(holdoutFlag.on).toBe(true);
    expect(holdoutFlag.fallthrough.rollout.contextKind).toBe('user');
    const weight = (variation: number) => holdoutFlag.fallthrough.rollout.variations.filter((v: any) => v.variation === variation).reduce((sum: number, v: any) => sum + v.weight, 0);
    expect([weight(0), weight(1)]).toEqual([10_000, 90_000]);
    const member = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments[w.env];
    expect(member.prerequisites).toEqual([{ key: 'q3', variation: 1 }]);

    // The SDK: held-out contexts fail the prerequisite (off variation, not in the experiment); the others are in it.
    // Its events (sent for the holdout's flag as the prerequisite it is) are the holdout's own results.
    const client = sdkClient(s.url, await sdkKeyOf(s, w.project, w.env), { sendEvents: true, flushInterval: 3600, capacity: 100_000 });
    await client.waitForInitialization({ timeout: 10 });
    let held = 0;
    let heldConverted = 0;
    let inExperiment = 0;
    let converted = 0;
    for (let i = 0; i < 1000; i++) {
      const context = { kind: 'user', key: `user-${i}` };
      const detail = await client.variationDetail(w.flag, context, 'default');
      const converts = i % 3 === 0;
      if (converts) client.track('checkout', context);
      if (detail.reason.kind === 'PREREQUISITE_FAILED') {
        held++;
        if (converts) heldConverted++;
        expect(detail.reason.prerequisiteKey).toBe('q3');
      } else if (detail.reason.inExperiment) {
        inExperiment++;
        if (converts) converted++;
      }
    }
    await client.flush();
    client.close();
    expect(held).toBeGreaterThan(60);
    expect(held).toBeLessThan(140);
    expect(held + inExperiment).toBe(1000);
    const results = await s.get(`${experimentsPath(w, 'q3')}/metrics/${w.metric}/results?expand=traffic`);
    expect(results.status, JSON.stringify(results.body)).toBe(200);
    const [inHoldout, notInHoldout] = results.body.treatmentResults;
    expect(inHoldout).toMatchObject({ treatmentName: 'In holdout', units: held, eventValuesSum: heldConverted });
    expect(notInHoldout).toMatchObject({ treatmentName: 'Not in holdout', units: inExperiment, eventValuesSum: converted });

    const list = await s.get(holdouts(), BETA);
    expect(list.body).toMatchObject({ total_count: 1, items: [{ key: 'q3', name: 'Q3 holdout', status: 'running', experiments: [{ key: 'button', name: 'Button', environment: w.env }] }] });

    const ended = await s.patch(`${holdouts()}/q3`, { instructions: [{ kind: 'endHoldout' }] }, BETA);
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(ended.body.status).toBe('ended');
    expect(ended.body.baseExperiment.currentIteration.status).toBe('stopped');
    const after = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments[w.env];
    expect(after.prerequisites).toEqual([]);
    const holdoutAfter = (await s.get(`/api/v2/flags/${w.project}/q3`)).body.environments[w.env];
    expect(holdoutAfter.fallthrough).toEqual({ variation: 1 });
    const byId = await s.get(`${holdouts()}/id/${created.body._id}`, BETA);
    expect(byId.body.status).toBe('ended');
  });
});
