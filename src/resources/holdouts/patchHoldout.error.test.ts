import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchHoldout: errors', () => {
  let s: TestServer;
  let w: World;
  const holdouts = (project = 'proj', env = 'production') => `/api/v2/projects/${project}/environments/${env}/holdouts`;
  /** Everything a holdout patch may write: the holdout (with its base experiment and members), and the flags. */
  const snapshot = async () =>
    JSON.stringify([
      (await s.get(`${holdouts()}/q3?expand=treatments,draftIteration,rel-treatments,rel-draftIteration`, BETA)).body,
      (await s.get(holdouts(), BETA)).body,
      (await s.get(`/api/v2/flags/${w.project}/q3`)).body,
      (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body,
      (await s.get(experimentsPath(w, 'running'))).body,
    ]);
  let before: string;

  /** PATCHes body; expects a 400 with exactly these errors, each named in the message, and nothing changed. */
  async function rejects(body: unknown, errors: { attribute: string; reason: string | RegExp }[]) {
    const res = await s.patch(`${holdouts()}/q3`, body, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toEqual(errors.map((e) => e.attribute));
    errors.forEach((e, i) => {
      if (typeof e.reason === 'string') expect(res.body.errors[i].reason).toBe(e.reason);
      else expect(res.body.errors[i].reason).toMatch(e.reason);
      expect(res.body.message).toContain(e.attribute);
    });
    expect(await snapshot()).toBe(before);
  }

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const holdout = await s.post(holdouts(), { name: 'Q3', key: 'q3', holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA);
    expect(holdout.status).toBe(201);
    const version = await flagVersion(s, w.project, w.flag);
    expect((await s.post(experimentsPath(w), { name: 'Running', key: 'running', holdoutId: holdout.body._id, iteration: iterationBody({ ...w, version }) })).status).toBe(201);
    expect((await s.patch(experimentsPath(w, 'running'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    // An experiment of the environment that is in no holdout.
    await s.post(`/api/v2/flags/${w.project}`, { name: 'Other', key: 'other-flag' });
    await s.patch(`/api/v2/flags/${w.project}/other-flag`, [{ op: 'replace', path: '/environments/production/on', value: true }]);
    const other = (await s.get(`/api/v2/flags/${w.project}/other-flag`)).body;
    await createExperimentIn(s, w, 'outsider', iterationBody({ ...w, flag: 'other-flag', variations: other.variations.map((v: any) => v._id), version: other.environments.production.version }));
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    before = await snapshot();
  });

  it('404 naming an unknown holdout, project or environment', async () => {
    const body = { instructions: [{ kind: 'updateName', value: 'x' }] };
    const holdout = await s.patch(`${holdouts()}/nope`, body, BETA);
    expect(holdout.status).toBe(404);
    expect(holdout.body).toEqual({ code: 'not_found', message: 'Holdout "nope" in project "proj", environment "production" not found' });
    // An experiment's key is not a holdout's.
    expect((await s.patch(`${holdouts()}/outsider`, body, BETA)).body).toEqual({ code: 'not_found', message: 'Holdout "outsider" in project "proj", environment "production" not found' });
    expect((await s.patch(`${holdouts('nope')}/q3`, body, BETA)).body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    expect((await s.patch(`${holdouts('proj', 'test')}/q3`, body, BETA)).body).toEqual({ code: 'not_found', message: 'Holdout "q3" in project "proj", environment "test" not found' });
    expect((await s.patch(`${holdouts('proj', 'nope')}/q3`, body, BETA)).body).toEqual({ code: 'not_found', message: 'Environment "nope" in project "proj" not found' });
    expect(await snapshot()).toBe(before);
  });

  it('400 for bodies that are not a semantic patch', async () => {
    await rejects([{ op: 'replace', path: '/name', value: 'x' }], [{ attribute: 'body', reason: /semantic patch/ }]);
    await rejects({ comment: 'nothing' }, [{ attribute: 'instructions', reason: 'must be present' }]);
    await rejects({ instructions: [] }, [{ attribute: 'instructions', reason: 'must have at least 1 item(s)' }]);
    await rejects({ instructions: [{ value: 'x' }] }, [{ attribute: 'instructions[0].kind', reason: 'must be present' }]);
    await rejects({ instructions: [{ kind: 'startIteration' }] }, [
      { attribute: 'instructions[0].kind', reason: 'unknown instruction kind "startIteration"; use one of updateName, updateDescription, removeExperiment, endHoldout' },
    ]);
  });

  it('400 naming instructions[i].value when it is missing or not valid', async () => {
    await rejects({ instructions: [{ kind: 'updateName' }] }, [{ attribute: 'instructions[0].value', reason: 'must be present: the new name' }]);
    await rejects({ instructions: [{ kind: 'updateName', value: '' }] }, [{ attribute: 'instructions[0].value', reason: /./ }]);
    await rejects({ instructions: [{ kind: 'updateName', value: 5 }] }, [{ attribute: 'instructions[0].value', reason: /./ }]);
    await rejects({ instructions: [{ kind: 'updateDescription' }] }, [{ attribute: 'instructions[0].value', reason: 'must be present: the new description' }]);
    await rejects({ instructions: [{ kind: 'updateDescription', value: ['x'] }] }, [{ attribute: 'instructions[0].value', reason: /./ }]);
    await rejects({ instructions: [{ kind: 'removeExperiment' }] }, [{ attribute: 'instructions[0].value', reason: 'must be present: the key of the experiment to remove' }]);
  });

  it('400 for removeExperiment of an experiment that is not in the holdout', async () => {
    await rejects({ instructions: [{ kind: 'removeExperiment', value: 'outsider' }] }, [{ attribute: 'instructions[0].value', reason: 'experiment "outsider" is not in holdout "q3"' }]);
    await rejects({ instructions: [{ kind: 'removeExperiment', value: 'ghost' }] }, [{ attribute: 'instructions[0].value', reason: 'experiment "ghost" is not in holdout "q3"' }]);
    // Nor is the holdout's own base experiment one of its experiments.
    await rejects({ instructions: [{ kind: 'removeExperiment', value: 'q3' }] }, [{ attribute: 'instructions[0].value', reason: 'experiment "q3" is not in holdout "q3"' }]);
  });

  it('400 for removeExperiment of a running experiment; the experiment and its flag keep the holdout', async () => {
    await rejects({ instructions: [{ kind: 'removeExperiment', value: 'running' }] }, [
      { attribute: 'instructions[0].value', reason: 'experiment "running" is running; stop its iteration before removing it from the holdout' },
    ]);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.prerequisites).toEqual([{ key: 'q3', variation: 1 }]);
    expect((await s.get(experimentsPath(w, 'running'))).body.holdoutId).toBeDefined();
  });

  it('one invalid instruction refuses the whole patch, naming it: nothing is renamed or ended', async () => {
    await rejects(
      {
        instructions: [
          { kind: 'updateName', value: 'Renamed' },
          { kind: 'endHoldout' },
          { kind: 'removeExperiment', value: 'running' },
          { kind: 'updateDescription', value: 'Described' },
          { kind: 'removeExperiment', value: 'outsider' },
        ],
      },
      [
        { attribute: 'instructions[2].value', reason: /is running/ },
        { attribute: 'instructions[4].value', reason: /is not in holdout/ },
      ],
    );
    const holdout = (await s.get(`${holdouts()}/q3`, BETA)).body;
    expect(holdout).toMatchObject({ status: 'running', baseExperiment: { name: 'Q3', currentIteration: { status: 'running' } } });
    expect('description' in holdout).toBe(false);
    expect((await s.get(experimentsPath(w, 'q3'))).body.name).toBe('Q3');
  });
});
