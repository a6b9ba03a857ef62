import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postHoldout: errors', () => {
  let s: TestServer;
  let w: World;
  let valid: Record<string, unknown>;
  const holdouts = (project = 'proj', env = 'production') => `/api/v2/projects/${project}/environments/${env}/holdouts`;
  const count = async () => (await s.get(holdouts(), BETA)).body.total_count as number;

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    valid = { name: 'Holdout', key: 'h', holdoutamount: '10', metrics: [{ key: w.metric }] };
    expect((await s.post(holdouts(), { ...valid, key: 'existing' }, BETA)).status).toBe(201);
  });
  afterAll(() => s.close());

  /** Posts body; expects a 400 with exactly these errors, each named in the message, and nothing written. */
  async function rejects(body: Record<string, unknown>, errors: { attribute: string; reason: string | RegExp }[]) {
    const before = await count();
    const res = await s.post(holdouts(), body, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toHaveLength(errors.length);
    errors.forEach((e, i) => {
      expect(res.body.errors[i].attribute).toBe(e.attribute);
      if (typeof e.reason === 'string') expect(res.body.errors[i].reason).toBe(e.reason);
      else expect(res.body.errors[i].reason).toMatch(e.reason);
      expect(res.body.message).toContain(`${e.attribute}: ${res.body.errors[i].reason}`);
    });
    expect(await count()).toBe(before);
    if (typeof body.key === 'string' && body.key !== 'existing' && body.key !== w.flag) {
      expect((await s.get(`${holdouts()}/${body.key}`, BETA)).status).toBe(404);
      expect((await s.get(experimentsPath(w, body.key))).status).toBe(404);
      expect((await s.get(`/api/v2/flags/${w.project}/${body.key}`)).status).toBe(404);
    }
    return res.body;
  }

  it('400 naming each required field that is missing, every problem at once', async () => {
    await rejects({}, [
      { attribute: 'name', reason: 'must be present' },
      { attribute: 'key', reason: 'must be present' },
      { attribute: 'holdoutamount', reason: 'must be present' },
      { attribute: 'metrics', reason: 'must name at least one metric (or give primarymetrickey)' },
    ]);
    await rejects({ name: 'H', key: 'h-all', holdoutamount: '150' }, [
      { attribute: 'holdoutamount', reason: '"150" must be a percentage above 0 and below 100, with at most 3 decimals' },
      { attribute: 'metrics', reason: 'must name at least one metric (or give primarymetrickey)' },
    ]);
    await rejects({ ...valid, key: 'has space' }, [{ attribute: 'key', reason: /./ }]);
  });

  it('400 for a holdoutamount that is not a percentage strictly between 0 and 100', async () => {
    for (const amount of ['0', '0.000', '100', '100.5', '150', '-5', 'abc', '10%', '10.0001', '1e1']) {
      await rejects({ ...valid, holdoutamount: amount }, [{ attribute: 'holdoutamount', reason: `"${amount}" must be a percentage above 0 and below 100, with at most 3 decimals` }]);
    }
    await rejects({ ...valid, holdoutamount: 10 }, [{ attribute: 'holdoutamount', reason: 'must be a string' }]);
    await rejects({ ...valid, holdoutamount: '' }, [{ attribute: 'holdoutamount', reason: /./ }]);
  });

  it('400 without any metric', async () => {
    const reason = 'must name at least one metric (or give primarymetrickey)';
    await rejects({ ...valid, metrics: [] }, [{ attribute: 'metrics', reason }]);
    const { metrics: _omit, ...withoutMetrics } = valid;
    await rejects(withoutMetrics, [{ attribute: 'metrics', reason }]);
  });

  it('400 naming metrics[i] for an unknown or repeated metric, and primarymetrickey for a group that is no funnel', async () => {
    await rejects({ ...valid, metrics: [{ key: w.metric }, { key: 'ghost' }] }, [{ attribute: 'metrics[1].key', reason: 'metric "ghost" not found in project "proj"' }]);
    await rejects({ ...valid, metrics: [{ key: 'ghost-group', isGroup: true }] }, [{ attribute: 'metrics[0].key', reason: 'metric group "ghost-group" not found in project "proj"' }]);
    await rejects({ ...valid, metrics: [{ key: w.metric }, { key: w.metric }] }, [{ attribute: 'metrics[1].key', reason: 'metric "checkout-completed" is listed more than once' }]);
    await rejects({ ...valid, metrics: [{ key: w.standardGroup, isGroup: true }], primarymetrickey: w.standardGroup }, [
      { attribute: 'primarymetrickey', reason: 'metric group "money" is a standard group, not a funnel' },
    ]);
  });

  it('400 naming randomizationunit for a unit the project does not have', async () => {
    await rejects({ ...valid, randomizationunit: 'device' }, [{ attribute: 'randomizationunit', reason: 'Randomization unit "device" not found in project settings [user]' }]);
  });

  it('400 for an unknown maintainerId', async () => {
    await rejects({ ...valid, maintainerId: 'ghost' }, [{ attribute: 'maintainerId', reason: 'there is no member with _id "ghost"' }]);
  });

  it('400 when prerequisiteflagkey (or the key) names a flag that is not a holdout flag; the flag is untouched', async () => {
    const before = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body;
    await rejects({ ...valid, key: 'gated', prerequisiteflagkey: w.flag }, [
      { attribute: 'prerequisiteflagkey', reason: `the project has a flag "${w.flag}" that is not a holdout flag; choose another prerequisiteflagkey` },
    ]);
    await rejects({ ...valid, key: w.flag }, [{ attribute: 'key', reason: `the project has a flag "${w.flag}" that is not a holdout flag; choose another prerequisiteflagkey` }]);
    expect((await s.get(experimentsPath(w, w.flag))).status).toBe(404);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body).toEqual(before);
  });

  it('400 when prerequisiteflagkey names the flag of another holdout of this environment', async () => {
    await rejects({ ...valid, key: 'second', prerequisiteflagkey: 'existing' }, [
      { attribute: 'prerequisiteflagkey', reason: 'holdout flag "existing" is already the flag of holdout "existing" in this environment' },
    ]);
  });

  it('409 when an experiment of the environment has the key; nothing is left behind', async () => {
    await createExperimentIn(s, w, 'taken');
    const before = await count();
    const res = await s.post(holdouts(), { ...valid, key: 'taken' }, BETA);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A holdout or experiment with the key "taken" already exists in environment "production" of project "proj"' });
    expect(await count()).toBe(before);
    // The flag the holdout would have created went with the transaction; the experiment is as it was.
    expect((await s.get(`/api/v2/flags/${w.project}/taken`)).status).toBe(404);
    expect((await s.get(experimentsPath(w, 'taken'))).body).toMatchObject({ type: 'experiment', name: 'Experiment taken' });
  });

  it('409 for a holdout key taken in the environment (with its own prerequisite flag); the first holdout is untouched', async () => {
    const first = (await s.get(`${holdouts()}/existing`, BETA)).body;
    const res = await s.post(holdouts(), { ...valid, key: 'existing', name: 'Again', prerequisiteflagkey: 'another-flag' }, BETA);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A holdout or experiment with the key "existing" already exists in environment "production" of project "proj"' });
    expect((await s.get(`/api/v2/flags/${w.project}/another-flag`)).status).toBe(404);
    expect((await s.get(`${holdouts()}/existing`, BETA)).body).toEqual(first);
  });

  it('409 for the same holdout key sent again as it was', async () => {
    const res = await s.post(holdouts(), { ...valid, key: 'existing' }, BETA);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A holdout or experiment with the key "existing" already exists in environment "production" of project "proj"' });
  });

  it('a primarymetrickey missing from metrics is named as primarymetrickey; metrics keep their own indexes', async () => {
    await rejects({ ...valid, metrics: [{ key: w.metric }, { key: 'ghost' }], primarymetrickey: 'ghost2' }, [
      { attribute: 'metrics[1].key', reason: 'metric "ghost" not found in project "proj"' },
      { attribute: 'primarymetrickey', reason: 'metric "ghost2" not found in project "proj"' },
    ]);
  });

  it('404 naming an unknown project or environment', async () => {
    const project = await s.post(holdouts('nope'), valid, BETA);
    expect(project.status).toBe(404);
    expect(project.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    const env = await s.post(holdouts('proj', 'nope'), valid, BETA);
    expect(env.status).toBe(404);
    expect(env.body).toEqual({ code: 'not_found', message: 'Environment "nope" in project "proj" not found' });
    expect((await s.get(`/api/v2/flags/${w.project}/h`)).status).toBe(404);
  });
});
