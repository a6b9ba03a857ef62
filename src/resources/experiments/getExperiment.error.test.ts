import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getExperiment: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'P', key: 'p' });
  });
  afterAll(() => s.close());

  it('404 naming the missing project, environment or experiment', async () => {
    expect((await s.get('/api/v2/projects/none/environments/production/experiments/x')).body).toEqual({ code: 'not_found', message: 'Project "none" not found' });
    expect((await s.get('/api/v2/projects/p/environments/none/experiments/x')).body.message).toBe('Environment "none" in project "p" not found');
    expect((await s.get('/api/v2/projects/p/environments/production/experiments/x')).body.message).toBe(
      'Experiment "x" in project "p", environment "production" not found',
    );
  });
});
