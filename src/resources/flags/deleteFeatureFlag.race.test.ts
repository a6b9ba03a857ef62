// Concurrency: deleting a flag while another flag is given it as a prerequisite. One of the two is refused, as if they
// had come one after the other (a prerequisite is not deleted, a deleted flag cannot be one), and no flag is left with a
// prerequisite that is gone. The PostgreSQL run is the one that races.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const SEMANTIC = { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } };
const ROUNDS = 20;

describe('deleteFeatureFlag races', () => {
  let s: TestServer;
  const flags = '/api/v2/flags/shop';
  const instruct = (key: string, ...instructions: Record<string, unknown>[]) => s.patch(`${flags}/${key}`, { environmentKey: 'production', instructions }, SEMANTIC);
  const create = async (key: string): Promise<string> => {
    const res = await s.post(flags, { name: key, key });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.variations[0]._id;
  };

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
    await create('banner');
  });
  afterAll(() => s.close());

  it('a prerequisite added on a flag being deleted: the prerequisite is refused (400) or the delete (409), never both taken', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const key = `doomed-${round}`;
      const variationId = await create(key);
      const [patch, del] = await Promise.all([instruct('banner', { kind: 'addPrerequisite', key, variationId }), s.del(`${flags}/${key}`)]);
      const outcome = `${patch.status} ${del.status}`;
      expect(['200 409', '400 204'], `${JSON.stringify(patch.body)} ${JSON.stringify(del.body)}`).toContain(outcome);
      const prerequisites = (await s.get(`${flags}/banner`)).body.environments.production.prerequisites;
      if (patch.status === 200) {
        expect(del.body.message).toContain(`Flag "${key}" is a prerequisite of "banner"`);
        expect((await s.get(`${flags}/${key}`)).status).toBe(200);
        expect(prerequisites).toEqual([{ key, variation: 0 }]);
      } else {
        expect(patch.body.message).toContain(`"${key}"`);
        expect((await s.get(`${flags}/${key}`)).status).toBe(404);
        expect(prerequisites).toEqual([]);
      }
      // The flag can still be changed either way.
      for (const kind of ['turnFlagOn', 'turnFlagOff']) expect((await instruct('banner', { kind })).status).toBe(200);
      if (patch.status === 200) expect((await instruct('banner', { kind: 'removePrerequisite', key })).status).toBe(200);
    }
  });

  it('a flag created with an initial prerequisite being deleted: the create is refused (400) or the delete (409), never both taken', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const key = `gone-${round}`;
      const variationId = await create(key);
      const dependent = `made-on-${round}`;
      const [made, del] = await Promise.all([s.post(flags, { name: dependent, key: dependent, initialPrerequisites: [{ key, variationId }] }), s.del(`${flags}/${key}`)]);
      const outcome = `${made.status} ${del.status}`;
      expect(['201 409', '400 204'], `${JSON.stringify(made.body)} ${JSON.stringify(del.body)}`).toContain(outcome);
      if (made.status === 201) {
        expect((await s.get(`${flags}/${dependent}`)).body.environments.production.prerequisites).toEqual([{ key, variation: 0 }]);
      } else {
        expect(made.body.errors).toEqual([{ attribute: 'initialPrerequisites[0].key', reason: `there is no flag "${key}" in this project` }]);
        expect((await s.get(`${flags}/${dependent}`)).status).toBe(404);
      }
    }
  });

  it('two flags made prerequisites of each other at once: each answered as it would be alone, never a 500', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = [`a-${round}`, `b-${round}`];
      const ids = { [a]: await create(a), [b]: await create(b) };
      const results = await Promise.all([
        instruct(a, { kind: 'addPrerequisite', key: b, variationId: ids[b] }),
        instruct(b, { kind: 'addPrerequisite', key: a, variationId: ids[a] }),
      ]);
      for (const res of results) expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    }
  });
});
