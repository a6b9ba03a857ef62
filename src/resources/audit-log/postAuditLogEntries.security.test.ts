// postAuditLogEntries and postAuditLogEntryCounts security: a token is needed, any role may search (a search is a
// read), and a custom-role token sees and counts only the entries of the projects it may view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postAuditLogEntries and postAuditLogEntryCounts security', () => {
  let s: TestServer;
  let viewer: string;
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'secret']) {
      expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
      expect((await s.post(`/api/v2/flags/${key}`, { key: 'f', name: 'F' })).status).toBe(201);
    }
    expect((await s.post('/api/v2/roles', { key: 'shop-viewer', name: 'Shop viewer', policy: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }] })).status).toBe(201);
    viewer = (await s.post('/api/v2/tokens', { name: 'viewer', customRoleIds: ['shop-viewer'] })).body.token;
  });
  afterAll(() => s.close());

  const flags = [{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['*'] }];

  it('401 without a token; every role may search and count', async () => {
    expect((await s.post('/api/v2/auditlog', flags, { token: null })).status).toBe(401);
    expect((await s.post('/api/v2/auditlog/counts?after=0', flags, { token: null })).status).toBe(401);
    for (const token of Object.values(s.tokens)) {
      expect((await s.post('/api/v2/auditlog', flags, { token })).body.items).toHaveLength(2);
      expect((await s.post('/api/v2/auditlog/counts?after=0', flags, { token })).body.totalCount).toBe(2);
    }
  });

  it('a custom role finds and counts only what it may view, whatever the statements ask', async () => {
    const found = await s.post('/api/v2/auditlog', flags, { token: viewer });
    expect(found.status).toBe(200);
    expect(found.body.items.map((e: { accesses: { resource: string }[] }) => e.accesses[0].resource)).toEqual(['proj/shop:env/*:flag/f']);
    expect((await s.post('/api/v2/auditlog/counts?after=0', flags, { token: viewer })).body.totalCount).toBe(1);
  });
});
