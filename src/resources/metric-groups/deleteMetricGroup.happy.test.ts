import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA, insertExperimentUsing } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteMetricGroup: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/metrics/shop', { key: 'm', kind: 'custom', eventKey: 'm', isNumeric: false });
  });
  afterAll(() => s.close());

  it('204; the group is gone, and its metrics can be deleted again', async () => {
    await s.post('/api/v2/projects/shop/metric-groups', { key: 'g', name: 'G', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'm' }] }, BETA);
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'old', status: 'stopped', refs: [{ kind: 'metric-group', key: 'g' }] });
    expect((await s.del('/api/v2/metrics/shop/m')).status).toBe(409);
    const res = await s.del('/api/v2/projects/shop/metric-groups/g', BETA);
    expect(res.status).toBe(204);
    expect((await s.get('/api/v2/projects/shop/metric-groups/g', BETA)).status).toBe(404);
    expect((await s.get('/api/v2/metrics/shop/m?expand=metricGroupCount')).body.metricGroupCount).toBe(0);
    const entry = await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', 'proj/shop:metric-group/g').orderBy('date', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc).action).toBe('deleteMetricGroup');
    expect((await s.del('/api/v2/metrics/shop/m')).status).toBe(204);
  });
});
