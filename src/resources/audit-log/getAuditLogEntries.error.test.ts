import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getAuditLogEntries / getAuditLogEntry: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('400 naming before, after, limit, spec or cursor when they are malformed', async () => {
    for (const [query, attribute] of [
      ['before=yesterday', 'before'],
      ['after=1.5', 'after'],
      ['limit=0', 'limit'],
      ['limit=ten', 'limit'],
      ['spec=flags', 'spec'],
      ['cursor=abc', 'cursor'],
    ]) {
      const res = await s.get(`/api/v2/auditlog?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.errors[0].attribute).toBe(attribute);
      expect(res.body.message).toContain(attribute);
    }
  });

  it('404 for an entry that does not exist', async () => {
    const res = await s.get('/api/v2/auditlog/0123456789abcdef01234567');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Audit log entry "0123456789abcdef01234567" not found' });
  });
});
