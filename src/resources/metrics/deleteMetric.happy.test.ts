import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertExperimentUsing, setExperimentStatus } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteMetric: happy path', () => {
  let s: TestServer;
  const custom = (key: string) => ({ key, kind: 'custom', eventKey: key, isNumeric: false });
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('204, then the metric is gone from GET and from the list, and the deletion is audited', async () => {
    await s.post('/api/v2/metrics/shop', custom('old'));
    const res = await s.del('/api/v2/metrics/shop/old');
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get('/api/v2/metrics/shop/old')).status).toBe(404);
    expect((await s.get('/api/v2/metrics/shop')).body.items).toEqual([]);
    const entry = await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', 'proj/shop:metric/old').orderBy('date', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc).action).toBe('deleteMetric');
  });

  it('the key can be used again after a delete', async () => {
    await s.post('/api/v2/metrics/shop', custom('again'));
    await s.del('/api/v2/metrics/shop/again');
    expect((await s.post('/api/v2/metrics/shop', custom('again'))).status).toBe(201);
  });

  it('a metric used only by experiments that are not running can be deleted', async () => {
    await s.post('/api/v2/metrics/shop', custom('past'));
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'finished', status: 'stopped', refs: [{ kind: 'metric', key: 'past' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'draft', status: 'not_started', refs: [{ kind: 'metric', key: 'past' }] });
    expect((await s.del('/api/v2/metrics/shop/past')).status).toBe(204);
  });

  it('once its experiment stops, a metric can be deleted', async () => {
    await s.post('/api/v2/metrics/shop', custom('live'));
    const ids = await insertExperimentUsing(s, { projectKey: 'shop', key: 'live-exp', status: 'running', refs: [{ kind: 'metric', key: 'live' }] });
    expect((await s.del('/api/v2/metrics/shop/live')).status).toBe(409);
    await setExperimentStatus(s, ids, 'stopped');
    expect((await s.del('/api/v2/metrics/shop/live')).status).toBe(204);
  });
});
