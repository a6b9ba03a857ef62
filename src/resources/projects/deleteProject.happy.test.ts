import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteProject: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('deletes the project and everything in it; other projects and the audit log stay', async () => {
    // Two identical worlds: after the delete, every table of project content holds exactly half its rows.
    for (const key of ['doomed', 'kept']) await createExperimentIn(s, await createWorld(s, key));
    const TABLES = ['environments', 'flags', 'flag_configs', 'metrics', 'metric_groups', 'experiments', 'iterations', 'experiment_refs', 'context_kinds', 'experimentation_settings'] as const;
    const count = async (table: (typeof TABLES)[number]) => (await s.store.db.selectFrom(table).selectAll().execute()).length;
    const before = new Map<string, number>();
    for (const table of TABLES) before.set(table, await count(table));
    const res = await s.del('/api/v2/projects/doomed');
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get('/api/v2/projects/doomed')).status).toBe(404);
    expect((await s.get('/api/v2/flags/doomed')).status).toBe(404);
    for (const table of TABLES) {
      expect(before.get(table), table).toBeGreaterThan(0);
      expect(await count(table), table).toBe(before.get(table)! / 2);
    }
    expect((await s.get('/api/v2/flags/kept/checkout-button')).status).toBe(200);
    const audit = await s.get('/api/v2/auditlog?limit=1');
    expect(audit.body.items[0]).toMatchObject({ kind: 'project', name: 'Project', accesses: [{ action: 'deleteProject', resource: 'proj/doomed' }] });
    // the key is free again
    expect((await s.post('/api/v2/projects', { name: 'Again', key: 'doomed' })).status).toBe(201);
  });
});
