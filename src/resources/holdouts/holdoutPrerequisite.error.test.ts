// A running experiment in a holdout keeps its flag's prerequisite on the holdout's flag: a flag write that removes
// or changes it is a 409 (it would let held-out contexts into the experiment), whatever form the write takes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const SEMANTIC = { headers: { 'Content-Type': 'application/json; domain-model=launchdarkly.semanticpatch' } };

describe('holdouts: the prerequisite of a running experiment\'s flag', () => {
  let s: TestServer;
  let w: World;
  let flagPath: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    flagPath = `/api/v2/flags/${w.project}/${w.flag}`;
    const holdout = await s.post(`/api/v2/projects/${w.project}/environments/${w.env}/holdouts`, { name: 'Q3', key: 'q3', holdoutamount: '10', metrics: [{ key: w.metric }], randomizationunit: 'user' }, BETA);
    expect(holdout.status, JSON.stringify(holdout.body)).toBe(201);
    const version = await flagVersion(s, w.project, w.flag, w.env);
    expect((await s.post(experimentsPath(w), { name: 'Button', key: 'button', holdoutId: holdout.body._id, iteration: iterationBody({ ...w, version }) })).status).toBe(201);
    expect((await s.patch(experimentsPath(w, 'button'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('409 for removing or changing it, by JSON Patch or semantic patch; the flag stays as it was', async () => {
    const before = (await s.get(flagPath)).body;
    expect(before.environments[w.env].prerequisites).toEqual([{ key: 'q3', variation: 1 }]);
    const writes = [
      s.patch(flagPath, [{ op: 'replace', path: `/environments/${w.env}/prerequisites`, value: [] }]),
      s.patch(flagPath, [{ op: 'replace', path: `/environments/${w.env}/prerequisites/0/variation`, value: 0 }]),
      s.patch(flagPath, { environmentKey: w.env, instructions: [{ kind: 'removePrerequisite', key: 'q3' }] }, SEMANTIC),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.message).toBe(
        `The prerequisite on flag "q3" of flag "${w.flag}" in environment "${w.env}" keeps the contexts of holdout "q3" out of the running experiment "button"; stop the experiment before changing it`,
      );
    }
    expect((await s.get(flagPath)).body).toEqual(before);
  });

  it('other changes to the flag go through, and once the experiment stops the prerequisite is the flag\'s own again', async () => {
    const tagged = await s.patch(flagPath, [{ op: 'add', path: '/tags/-', value: 'checkout' }]);
    expect(tagged.status, JSON.stringify(tagged.body)).toBe(200);
    const green = (await s.get(`${experimentsPath(w, 'button')}?expand=treatments`)).body.currentIteration.treatments[1]._id;
    expect((await s.patch(experimentsPath(w, 'button'), { instructions: [{ kind: 'stopIteration', winningTreatmentId: green }] })).status).toBe(200);
    const removed = await s.patch(flagPath, [{ op: 'replace', path: `/environments/${w.env}/prerequisites`, value: [] }]);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.environments[w.env].prerequisites).toEqual([]);
  });
});
