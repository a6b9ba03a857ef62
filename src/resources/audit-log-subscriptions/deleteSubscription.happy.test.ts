// Deleting an audit log subscription: 204; then 404 by id and gone from the list; audited with what it was, its
// secret masked; a second delete, or one under another integration, is a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteSubscription', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('204; then 404, absent from the list, and the deletion audited with the subscription before it', async () => {
    const kept = (await s.post('/api/v2/integrations/signalfx', { name: 'kept', config: { accessToken: 'sfx-kept', realm: 'us1' } })).body;
    const doomed = (await s.post('/api/v2/integrations/signalfx', { name: 'doomed', config: { accessToken: 'sfx-doomed', realm: 'eu0' } })).body;
    expect((await s.del(`/api/v2/integrations/logdna/${doomed._id}`)).status).toBe(404);
    const res = await s.del(`/api/v2/integrations/signalfx/${doomed._id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(`/api/v2/integrations/signalfx/${doomed._id}`)).status).toBe(404);
    expect((await s.get('/api/v2/integrations/signalfx')).body.items).toEqual([kept]);
    const entry = (await s.get(`/api/v2/auditlog?spec=integration/signalfx/${doomed._id}`)).body.items[0];
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(full).toMatchObject({ kind: 'integration', name: 'doomed', accesses: [{ action: 'deleteIntegration', resource: `integration/signalfx/${doomed._id}` }] });
    expect(full.previousVersion).toEqual(doomed);
    expect(JSON.stringify(full)).not.toContain('sfx-doomed');
    expect((await s.del(`/api/v2/integrations/signalfx/${doomed._id}`)).status).toBe(404);
  });
});
