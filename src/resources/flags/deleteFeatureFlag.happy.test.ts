import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { registerFlagGuard, type FlagChange } from './guards.js';

const seen: FlagChange[] = [];
registerFlagGuard(async (change) => {
  seen.push(change);
});

describe('deleteFeatureFlag: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('204, then the flag and its targeting are gone and the key can be reused', async () => {
    const created = await s.post('/api/v2/flags/shop', { name: 'Gone', key: 'gone' });
    const res = await s.del('/api/v2/flags/shop/gone');
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get('/api/v2/flags/shop/gone')).status).toBe(404);
    const configs = await s.store.db.selectFrom('flag_configs').selectAll().execute();
    expect(configs).toEqual([]);
    const again = await s.post('/api/v2/flags/shop', { name: 'Gone again', key: 'gone' });
    expect(again.status).toBe(201);
    expect(again.body.variations[0]._id).not.toBe(created.body.variations[0]._id);
  });

  it('calls the flag guards with after: undefined', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Watched', key: 'watched' });
    seen.length = 0;
    expect((await s.del('/api/v2/flags/shop/watched')).status).toBe(204);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ flagKey: 'watched', projectKey: 'shop', after: undefined });
    expect(seen[0].before.doc.name).toBe('Watched');
    expect(seen[0].before.configs.size).toBe(2);
  });

  it('records the deletion in the audit log', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Logged', key: 'logged' });
    await s.del('/api/v2/flags/shop/logged');
    const entry = await s.store.db.selectFrom('audit_log').selectAll().where('resource', '=', 'proj/shop:env/*:flag/logged').orderBy('date', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'deleteFlag', before: { key: 'logged', name: 'Logged' } });
  });

  it('deleting a dependent flag first lets its prerequisite be deleted', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Base', key: 'base' });
    await s.post('/api/v2/flags/shop', { name: 'Child', key: 'child', initialPrerequisites: [] });
    await s.patch('/api/v2/flags/shop/child', [{ op: 'add', path: '/environments/production/prerequisites/-', value: { key: 'base', variation: 0 } }]);
    expect((await s.del('/api/v2/flags/shop/child')).status).toBe(204);
    expect((await s.del('/api/v2/flags/shop/base')).status).toBe(204);
  });
});
