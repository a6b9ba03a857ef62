import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy, expectAdminOnly } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchCustomRole: security', () => {
  let s: TestServer;
  const grantAll = [{ op: 'replace', path: '/policy', value: [{ effect: 'allow', resources: ['*'], actions: ['*'] }] }];
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/roles', { key: 'ops', name: 'Ops', policy: [{ effect: 'allow', resources: ['proj/qa'], actions: ['viewProject'] }] });
  });
  afterAll(() => s.close());

  it('only an admin changes a role: 403 for a reader and a writer, 401 without a token or with an unknown one; the role is unchanged', async () => {
    await expectAdminOnly(s, (token) => s.patch('/api/v2/roles/ops', grantAll, { token }));
    expect((await s.get('/api/v2/roles/ops')).body.policy).toEqual([{ effect: 'allow', resources: ['proj/qa'], actions: ['viewProject'] }]);
    expect((await s.patch('/api/v2/roles/ops', grantAll, { token: s.tokens.admin })).status).toBe(200);
  });

  it('refuses prototype paths, in a JSON Patch and in a merge patch', async () => {
    for (const body of [
      [{ op: 'add', path: '/policy/0/__proto__', value: { polluted: true } }],
      [{ op: 'add', path: '/__proto__/polluted', value: true }],
      { merge: { policy: { constructor: { prototype: { polluted: true } } } } },
    ]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch('/api/v2/roles/ops', body)))).toBe(false);
      expect(res!.status, JSON.stringify(body)).toBe(400);
      expect(res!.body.code).toBe('invalid_request');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
