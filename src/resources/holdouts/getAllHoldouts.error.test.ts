import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getAllHoldouts: errors', () => {
  let s: TestServer;
  let w: World;
  const holdouts = (project = 'proj', env = 'production') => `/api/v2/projects/${project}/environments/${env}/holdouts`;

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const res = await s.post(holdouts(), { name: 'H', key: 'h', holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA);
    expect(res.status).toBe(201);
  });
  afterAll(() => s.close());

  it('404 naming an unknown project or environment', async () => {
    const project = await s.get(holdouts('nope'), BETA);
    expect(project.status).toBe(404);
    expect(project.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    const env = await s.get(holdouts('proj', 'nope'), BETA);
    expect(env.status).toBe(404);
    expect(env.body).toEqual({ code: 'not_found', message: 'Environment "nope" in project "proj" not found' });
  });

  it('400 naming limit or offset when it is not a whole number in range', async () => {
    const cases: [string, { attribute: string; reason: string }[]][] = [
      ['limit=0', [{ attribute: 'limit', reason: 'must be >= 1' }]],
      ['limit=-1', [{ attribute: 'limit', reason: 'must be >= 1' }]],
      ['limit=abc', [{ attribute: 'limit', reason: 'must be an integer' }]],
      ['limit=1.5', [{ attribute: 'limit', reason: 'must be an integer' }]],
      ['offset=-1', [{ attribute: 'offset', reason: 'must be >= 0' }]],
      ['offset=x', [{ attribute: 'offset', reason: 'must be an integer' }]],
      [
        'limit=x&offset=-1',
        [
          { attribute: 'limit', reason: 'must be an integer' },
          { attribute: 'offset', reason: 'must be >= 0' },
        ],
      ],
    ];
    for (const [query, errors] of cases) {
      const res = await s.get(`${holdouts()}?${query}`, BETA);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.errors, query).toEqual(errors);
      for (const e of errors) expect(res.body.message).toContain(`${e.attribute}: ${e.reason}`);
    }
  });

  it('an empty limit or offset reads as the default', async () => {
    const res = await s.get(`${holdouts()}?limit=&offset=`, BETA);
    expect(res.status).toBe(200);
    expect(res.body.total_count).toBe(1);
    expect(res.body._links.self.href).toBe(`${holdouts()}?limit=20&offset=0`);
  });
});
