import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetrics: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  async function badFilter(filter: string, reason: RegExp) {
    const res = await s.get(`/api/v2/metrics/shop?filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([{ attribute: 'filter', reason: expect.stringMatching(reason) }]);
    expect(res.body.message).toMatch(/^filter: /);
  }

  it('400 naming an unknown filter field', async () => {
    await badFilter('color equals red', /unknown filter field "color"/);
    await badFilter('tags contains a and flavour equals x', /unknown filter field "flavour"/);
  });

  it('400 naming an operator the field does not take, or a value it cannot have', async () => {
    await badFilter('tags equals a', /the field "tags" takes the operator contains, not "equals"/);
    await badFilter('eventKind equals trace', /"eventKind" takes one of custom, pageview, click/);
    await badFilter('isNumeric equals maybe', /"isNumeric" takes true or false/);
  });

  it('400 for a clause that is not field operator value, or unbalanced quotes and brackets', async () => {
    await badFilter('tags', /not of the form field operator value/);
    await badFilter("query equals 'open", /unterminated quote/);
    await badFilter('tags contains ["a"', /unbalanced brackets/);
  });

  it('400 naming sort, limit or offset when they are not usable', async () => {
    const sort = await s.get('/api/v2/metrics/shop?sort=color');
    expect(sort.status).toBe(400);
    expect(sort.body.errors[0]).toEqual({ attribute: 'sort', reason: expect.stringContaining('createdAt, name') });
    const limit = await s.get('/api/v2/metrics/shop?limit=abc');
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0].attribute).toBe('limit');
    const offset = await s.get('/api/v2/metrics/shop?offset=-1');
    expect(offset.status).toBe(400);
    expect(offset.body.errors[0].attribute).toBe('offset');
  });

  it('404 naming a project that does not exist', async () => {
    expect(await s.get('/api/v2/metrics/gone')).toMatchObject({ status: 404, body: { message: 'Project "gone" not found' } });
  });
});
