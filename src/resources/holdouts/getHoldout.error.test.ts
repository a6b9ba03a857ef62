import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createExperimentIn, createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getHoldout and getHoldoutById: errors', () => {
  let s: TestServer;
  let w: World;
  let inTest: any;
  let experimentId: string;
  const holdouts = (project = 'proj', env = 'production') => `/api/v2/projects/${project}/environments/${env}/holdouts`;
  const notFound = async (path: string, message: string) => {
    const res = await s.get(path, BETA);
    expect(res.status, path).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message });
  };

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const body = { name: 'H', key: 'only-in-test', holdoutamount: '10', metrics: [{ key: w.metric }] };
    inTest = (await s.post(holdouts('proj', 'test'), body, BETA)).body;
    expect(inTest._id).toBeDefined();
    experimentId = (await createExperimentIn(s, w, 'plain'))._id;
  });
  afterAll(() => s.close());

  it('404 naming an unknown holdout key or _id', async () => {
    await notFound(`${holdouts()}/nope`, 'Holdout "nope" in project "proj", environment "production" not found');
    await notFound(`${holdouts()}/id/nope`, 'Holdout with _id "nope" in project "proj", environment "production" not found');
    await notFound(`${holdouts()}/id/00000000-0000-0000-0000-000000000000`, 'Holdout with _id "00000000-0000-0000-0000-000000000000" in project "proj", environment "production" not found');
  });

  it("404 for another environment's holdout, by key or by _id", async () => {
    expect((await s.get(`${holdouts('proj', 'test')}/only-in-test`, BETA)).status).toBe(200);
    await notFound(`${holdouts()}/only-in-test`, 'Holdout "only-in-test" in project "proj", environment "production" not found');
    await notFound(`${holdouts()}/id/${inTest._id}`, `Holdout with _id "${inTest._id}" in project "proj", environment "production" not found`);
  });

  it("404 for an experiment that is not a holdout, by key or by _id; and for a holdout's base experiment _id", async () => {
    await notFound(`${holdouts()}/plain`, 'Holdout "plain" in project "proj", environment "production" not found');
    await notFound(`${holdouts()}/id/${experimentId}`, `Holdout with _id "${experimentId}" in project "proj", environment "production" not found`);
    const baseId = inTest.baseExperiment._id;
    await notFound(`${holdouts('proj', 'test')}/id/${baseId}`, `Holdout with _id "${baseId}" in project "proj", environment "test" not found`);
  });

  it('404 naming an unknown project or environment, on both routes', async () => {
    for (const suffix of ['/only-in-test', `/id/${inTest._id}`]) {
      await notFound(`${holdouts('nope', 'test')}${suffix}`, 'Project "nope" not found');
      await notFound(`${holdouts('proj', 'nope')}${suffix}`, 'Environment "nope" in project "proj" not found');
    }
  });
});
