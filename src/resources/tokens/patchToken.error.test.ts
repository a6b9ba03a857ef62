import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchToken and resetToken: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/tokens', { name: 'ci', role: 'reader' })).body._id;
  });
  afterAll(() => s.close());

  it('400 naming the field for read-only fields, unknown roles, versions and custom roles; nothing changes', async () => {
    for (const [patch, attribute] of [
      [[{ op: 'replace', path: '/role', value: 'owner' }], 'role'],
      [[{ op: 'replace', path: '/defaultApiVersion', value: 20230101 }], 'defaultApiVersion'],
      [[{ op: 'add', path: '/customRoleIds/-', value: 'devops' }], 'customRoleIds[0]'],
      [[{ op: 'replace', path: '/serviceToken', value: true }], '/serviceToken'],
      [[{ op: 'replace', path: '/memberId', value: 'x' }], '/memberId'],
      [[{ op: 'replace', path: '/token', value: 'api-mine' }], '/token'],
      // Removing the built-in role without custom roles in its place would leave the token no role to hold.
      [[{ op: 'remove', path: '/role' }], 'role'],
      [[{ op: 'remove', path: '/role' }, { op: 'remove', path: '/customRoleIds' }], 'role'],
    ] as [unknown, string][]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(`/api/v2/tokens/${id}`, patch)))).toBe(false);
      expect(res!.status, JSON.stringify(patch)).toBe(400);
      expect(res!.body.errors.map((e: { attribute: string }) => e.attribute)).toContain(attribute);
    }
  });

  it('409 when a test operation fails; 404 for unknown tokens', async () => {
    expect((await s.patch(`/api/v2/tokens/${id}`, [{ op: 'test', path: '/role', value: 'admin' }])).body.code).toBe('optimistic_locking_error');
    expect((await s.patch('/api/v2/tokens/nope', [])).body).toEqual({ code: 'not_found', message: 'Access token "nope" not found' });
    expect((await s.request('POST', '/api/v2/tokens/nope/reset')).status).toBe(404);
    const bad = await s.request('POST', `/api/v2/tokens/${id}/reset?expiry=soon`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].attribute).toBe('expiry');
  });
});
