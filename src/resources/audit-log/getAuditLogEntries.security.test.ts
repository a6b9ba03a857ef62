import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getAuditLogEntries / getAuditLogEntry: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('401 without a token; any role may read the audit log', async () => {
    expect((await s.get('/api/v2/auditlog', { token: null })).status).toBe(401);
    const res = await s.get('/api/v2/auditlog', { token: s.tokens.reader });
    expect(res.status).toBe(200);
    expect((await s.get(`/api/v2/auditlog/${res.body.items[0]._id}`, { token: s.tokens.reader })).status).toBe(200);
    expect((await s.get(`/api/v2/auditlog/${res.body.items[0]._id}`, { token: null })).status).toBe(401);
  });

  it('never shows a token value: entries about tokens carry only the last four characters', async () => {
    const created = await s.post('/api/v2/tokens', { name: 'ci', role: 'writer' });
    const listed = await s.get('/api/v2/auditlog?q=ci');
    const entry = await s.get(`/api/v2/auditlog/${listed.body.items[0]._id}`);
    expect(entry.body.kind).toBe('token');
    expect(JSON.stringify(entry.body)).not.toContain(created.body.token);
    for (const token of Object.values(s.tokens)) expect(JSON.stringify(listed.body)).not.toContain(token);
  });
});
