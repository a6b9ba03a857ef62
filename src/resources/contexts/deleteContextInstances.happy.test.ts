// deleteContextInstances: an instance is forgotten from every application; its contexts remain where other instances hold them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOf, NOW, seedContexts } from '../../../test/support/contexts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteContextInstances', () => {
  let s: TestServer;
  let base: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ({ base } = await seedContexts(s));
  });
  afterAll(() => s.close());

  it('204; the instance, its contexts held by no other instance, and its attributes are gone; audited', async () => {
    const id = idOf('org:launchdarkly:user:henry');
    const res = await s.del(`${base}/context-instances/${id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(`${base}/context-instances/${id}`)).body.items).toEqual([]);
    expect((await s.get(`${base}/contexts/user/henry`)).body.items).toEqual([]);
    // The org's own instance (from the web app) stays.
    expect((await s.get(`${base}/contexts/org/launchdarkly`)).body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual(['web-app']);
    const audit = (await s.get('/api/v2/auditlog?spec=proj/shop:env/production')).body.items;
    expect(JSON.stringify(audit[0])).toContain(`deleted the context instance ${id}`);
    // Gone: a second delete is a 404.
    expect((await s.del(`${base}/context-instances/${id}`)).status).toBe(404);
  });

  it("an environment's contexts go with it", async () => {
    const rows = async (table: 'context_instances' | 'context_instance_kinds') => (await s.store.db.selectFrom(table).select('environment_id').execute()).length;
    expect((await s.post('/api/v2/projects/shop/environments', { key: 'staging', name: 'Staging', color: '000000' })).status).toBe(201);
    const sdkKey = (await s.get('/api/v2/projects/shop/environments/staging')).body.apiKey;
    await s.request('POST', '/bulk', { body: [{ kind: 'index', creationDate: NOW - 1, context: { kind: 'multi', user: { key: 'u' }, org: { key: 'o' } } }], token: sdkKey });
    const [instances, kinds] = [await rows('context_instances'), await rows('context_instance_kinds')];
    expect((await s.del('/api/v2/projects/shop/environments/staging')).status).toBe(204);
    expect([await rows('context_instances'), await rows('context_instance_kinds')]).toEqual([instances - 1, kinds - 2]);
  });

  it('the fully qualified key names the instance too; every application\'s record goes', async () => {
    expect((await s.del(`${base}/context-instances/org:launchdarkly`)).status).toBe(204);
    expect((await s.post(`${base}/contexts/search`, { filter: 'kind equals org' })).body.items).toEqual([]);
  });
});
