import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getCustomRoles: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  async function bad(params: string, attribute: string, reason: string) {
    const res = await s.get(`/api/v2/roles?${params}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([{ attribute, reason }]);
    expect(res.body.message).toBe(`${attribute}: ${reason}`);
  }

  it('400 naming limit or offset when it is not a whole number in range', async () => {
    await bad('limit=0', 'limit', 'must be >= 1');
    await bad('limit=ten', 'limit', 'must be an integer');
    await bad('limit=1.5', 'limit', 'must be an integer');
    await bad('offset=-1', 'offset', 'must be >= 0');
    await bad('offset=x', 'offset', 'must be an integer');
  });
});
