import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('environment writes: security', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/test';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('401 without a token and 403 for a reader token on patch, delete and key resets; a writer may make each', async () => {
    const calls = (token: string | null) => [
      s.patch(path, [{ op: 'replace', path: '/name', value: 'x' }], { token }),
      s.del(path, { token }),
      s.request('POST', `${path}/apiKey`, { token }),
      s.request('POST', `${path}/mobileKey`, { token }),
    ];
    for (const res of await Promise.all(calls(null))) expect(res.status).toBe(401);
    for (const res of await Promise.all(calls(s.tokens.reader))) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await s.get(path)).body.name).toBe('Test');
    const writer = { token: s.tokens.writer };
    expect((await s.post('/api/v2/projects/shop/environments', { name: 'Staging', key: 'staging', color: '00ff00' }, writer)).status).toBe(201);
    const staging = '/api/v2/projects/shop/environments/staging';
    expect((await s.patch(staging, [{ op: 'replace', path: '/name', value: 'Stage' }], writer)).body.name).toBe('Stage');
    expect((await s.request('POST', `${staging}/apiKey`, writer)).status).toBe(200);
    expect((await s.request('POST', `${staging}/mobileKey`, writer)).status).toBe(200);
    expect((await s.del(staging, writer)).status).toBe(204);
  });

  it('custom roles: changing approvalSettings takes updateApprovalSettings on that environment', async () => {
    const role = async (actions: string[], env = 'test'): Promise<string> => {
      const inlineRole = [{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }, { effect: 'allow', resources: [`proj/shop:env/${env}`], actions }];
      const res = await s.post('/api/v2/tokens', { name: `${actions.join()} ${env}`, inlineRole });
      expect(res.status).toBe(201);
      return res.body.token;
    };
    const requireAll = [{ op: 'replace', path: '/approvalSettings/required', value: true }];
    const refused = [await role(['updateName', 'updateTags', 'updateCritical']), await role(['updateApprovalSettings'], 'production')];
    for (const token of refused) {
      let status = 0;
      expect(await changedBy(s.store, async () => (status = (await s.patch(path, requireAll, { token })).status))).toBe(false);
      expect(status).toBe(403);
    }
    const approver = await role(['updateApprovalSettings']);
    // A patch asks for each member's action: the approver may not rename on the way.
    expect((await s.patch(path, [...requireAll, { op: 'replace', path: '/name', value: 'x' }], { token: approver })).status).toBe(403);
    const res = await s.patch(path, requireAll, { token: approver });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.approvalSettings.required).toBe(true);
    expect((await s.patch(path, [{ op: 'remove', path: '/approvalSettings' }], { token: approver })).status).toBe(200);
  });
});
