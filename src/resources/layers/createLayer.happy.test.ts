import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('createLayer: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
    expect((await s.post('/api/v2/projects', { name: 'Other', key: 'other' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('creates a layer with no reservations (201 LayerRep)', async () => {
    const before = Date.now();
    const res = await s.post('/api/v2/projects/proj/layers', { key: 'checkout-flow', name: 'Checkout Flow', description: 'The checkout flow' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      key: 'checkout-flow',
      name: 'Checkout Flow',
      description: 'The checkout flow',
      createdAt: expect.any(Number),
      randomizationUnit: 'user',
      environments: {},
    });
    expect(res.body.createdAt).toBeGreaterThanOrEqual(before);
    const list = await s.get('/api/v2/projects/proj/layers');
    expect(list.body.items).toEqual([res.body]);
  });

  it('accepts an empty description, and the same key in another project', async () => {
    expect((await s.post('/api/v2/projects/proj/layers', { key: 'empty', name: 'Empty', description: '' })).status).toBe(201);
    const res = await s.post('/api/v2/projects/other/layers', { key: 'checkout-flow', name: 'Elsewhere', description: 'x' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Elsewhere');
  });

  it("takes the project's default randomization unit", async () => {
    expect((await s.put('/api/v2/projects/other/context-kinds/organization', { name: 'Organization' })).status).toBe(200);
    const settings = await s.put('/api/v2/projects/other/experimentation-settings', {
      randomizationUnits: [{ randomizationUnit: 'user' }, { randomizationUnit: 'organization', default: true }],
    });
    expect(settings.status).toBe(200);
    const res = await s.post('/api/v2/projects/other/layers', { key: 'orgs', name: 'Orgs', description: '' });
    expect(res.body.randomizationUnit).toBe('organization');
  });

  it('records an audit entry', async () => {
    await s.post('/api/v2/projects/proj/layers', { key: 'audited', name: 'Audited', description: 'd' });
    const entry = await s.store.db.selectFrom('audit_log').selectAll().where('resource', '=', 'proj/proj:layer/audited').executeTakeFirstOrThrow();
    expect(entry.kind).toBe('layer');
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'createLayer', name: 'Audited', after: { key: 'audited' } });
  });
});
