// deleteContextInstances: an instance is forgotten from every application; its contexts remain where other instances hold them.
import { describe, expect, it } from 'vitest';
import { idOf, NOW, seededServer } from '../../../test/support/contexts.js';

describe('deleteContextInstances', () => {
  const world = seededServer();

  it('204; the instance, its contexts held by no other instance, and its attributes are gone; audited', async () => {
    const id = idOf('org:launchdarkly:user:henry');
    const res = await world.s.del(`${world.base}/context-instances/${id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await world.s.get(`${world.base}/context-instances/${id}`)).body.items).toEqual([]);
    expect((await world.s.get(`${world.base}/contexts/user/henry`)).body.items).toEqual([]);
    // The org's own instance (from the web app) stays.
    expect((await world.s.get(`${world.base}/contexts/org/launchdarkly`)).body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual(['web-app']);
    const audit = (await world.s.get('/api/v2/auditlog?spec=proj/shop:env/production')).body.items;
    expect(JSON.stringify(audit[0])).toContain(`deleted the context instance ${id}`);
    // Gone: a second delete is a 404.
    expect((await world.s.del(`${world.base}/context-instances/${id}`)).status).toBe(404);
  });

  it("an environment's contexts go with it", async () => {
    const rows = async (table: 'context_instances' | 'context_instance_kinds') => (await world.s.store.db.selectFrom(table).select('environment_id').execute()).length;
    expect((await world.s.post('/api/v2/projects/shop/environments', { key: 'staging', name: 'Staging', color: '000000' })).status).toBe(201);
    const sdkKey = (await world.s.get('/api/v2/projects/shop/environments/staging')).body.apiKey;
    await world.s.request('POST', '/bulk', { body: [{ kind: 'index', creationDate: NOW - 1, context: { kind: 'multi', user: { key: 'u' }, org: { key: 'o' } } }], token: sdkKey });
    const [instances, kinds] = [await rows('context_instances'), await rows('context_instance_kinds')];
    expect((await world.s.del('/api/v2/projects/shop/environments/staging')).status).toBe(204);
    expect([await rows('context_instances'), await rows('context_instance_kinds')]).toEqual([instances - 1, kinds - 2]);
  });

  it('the fully qualified key names the instance too; every application\'s record goes', async () => {
    expect((await world.s.del(`${world.base}/context-instances/org:launchdarkly`)).status).toBe(204);
    expect((await world.s.post(`${world.base}/contexts/search`, { filter: 'kind equals org' })).body.items).toEqual([]);
  });
});
