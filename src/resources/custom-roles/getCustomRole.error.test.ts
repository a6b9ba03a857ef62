import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getCustomRole: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/roles', { key: 'gone-soon', name: 'Gone soon', policy: [] })).body._id;
  });
  afterAll(() => s.close());

  it('404 naming a key or id that is no role', async () => {
    expect(await s.get('/api/v2/roles/nope')).toMatchObject({ status: 404, body: { code: 'not_found', message: 'Custom role "nope" not found' } });
    expect(await s.get('/api/v2/roles/0123456789abcdef01234567')).toMatchObject({ status: 404, body: { code: 'not_found', message: 'Custom role "0123456789abcdef01234567" not found' } });
  });

  it('404 once the role is deleted, by key and by id', async () => {
    expect((await s.del('/api/v2/roles/gone-soon')).status).toBe(204);
    expect(await s.get('/api/v2/roles/gone-soon')).toMatchObject({ status: 404, body: { code: 'not_found', message: 'Custom role "gone-soon" not found' } });
    expect((await s.get(`/api/v2/roles/${id}`)).status).toBe(404);
  });

  it('a key is matched exactly: no prefix, case or wildcard match', async () => {
    await s.post('/api/v2/roles', { key: 'Readers', name: 'Readers', policy: [] });
    for (const key of ['readers', 'Reader', 'Readers%20', '*', '%25']) expect((await s.get(`/api/v2/roles/${key}`)).status, key).toBe(404);
  });
});
