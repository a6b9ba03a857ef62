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
    expect((await s.post(`/api/v2/flags/${w.project}`, { key: 'other', name: 'Other' })).status).toBe(201);
    const writes = [
      s.patch(flagPath, [{ op: 'replace', path: `/environments/${w.env}/prerequisites`, value: [] }]),
      s.patch(flagPath, [{ op: 'replace', path: `/environments/${w.env}/prerequisites/0/variation`, value: 0 }]),
      s.patch(flagPath, { environmentKey: w.env, instructions: [{ kind: 'removePrerequisite', key: 'q3' }] }, SEMANTIC),
      // Another prerequisite would change who is in the experiment mid-iteration.
      s.patch(flagPath, { environmentKey: w.env, instructions: [{ kind: 'addPrerequisite', key: 'other', variationId: (await s.get(`/api/v2/flags/${w.project}/other`)).body.variations[0]._id }] }, SEMANTIC),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.message).toBe(
        `The prerequisites of flag "${w.flag}" in environment "${w.env}" are those of holdout "q3" (its flag "q3") while its experiment "button" runs; stop the experiment before changing them`,
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

describe('holdouts: once a holdout ends, its running experiments\' flags are their own again', () => {
  let s: TestServer;
  let w: World;
  afterAll(() => s.close());

  it('after endHoldout the prerequisites of a still-running experiment\'s flag may change', async () => {
    s = await startServer();
    w = await createWorld(s);
    const holdouts = `/api/v2/projects/${w.project}/environments/${w.env}/holdouts`;
    const holdout = await s.post(holdouts, { name: 'Q4', key: 'q4', holdoutamount: '10', metrics: [{ key: w.metric }], randomizationunit: 'user' }, BETA);
    const version = await flagVersion(s, w.project, w.flag, w.env);
    expect((await s.post(experimentsPath(w), { name: 'Button', key: 'button', holdoutId: holdout.body._id, iteration: iterationBody({ ...w, version }) })).status).toBe(201);
    expect((await s.patch(experimentsPath(w, 'button'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    expect((await s.patch(`${holdouts}/q4`, { instructions: [{ kind: 'endHoldout' }] }, BETA)).status).toBe(200);
    const flagPath = `/api/v2/flags/${w.project}/${w.flag}`;
    expect((await s.get(flagPath)).body.environments[w.env].prerequisites).toEqual([]);
    // The holdout's flag as a prerequisite again, by hand, and removed: the ended holdout holds nothing.
    const added = await s.patch(flagPath, [{ op: 'add', path: `/environments/${w.env}/prerequisites/-`, value: { key: 'q4', variation: 1 } }]);
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const removed = await s.patch(flagPath, [{ op: 'replace', path: `/environments/${w.env}/prerequisites`, value: [] }]);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect((await s.get(experimentsPath(w, 'button'))).body.currentIteration.status).toBe('running');
  });
});
