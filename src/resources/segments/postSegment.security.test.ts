import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postSegment: security', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production';
  const body = { name: 'Secure', key: 'sec' };
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one', async () => {
    expect((await s.post(path, body, { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.post(path, body, { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
    expect((await s.get(`${path}/sec`)).status).toBe(404);
  });

  it('403 for a reader token, and nothing is created; a writer may create', async () => {
    const res = await s.post(path, body, { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(res.body.message).toContain('writer');
    expect((await s.get(`${path}/sec`)).status).toBe(404);
    expect((await s.post(path, body, { token: s.tokens.writer })).status).toBe(201);
  });

  it('400 for __proto__ keys, and no prototype is polluted', async () => {
    const res = await s.request('POST', path, { raw: '{"name":"P","key":"p","__proto__":{"polluted":true}}' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await s.get(`${path}/p`)).status).toBe(404);
  });

  it('404 for an unknown project or environment, even for a writer', async () => {
    expect((await s.post('/api/v2/segments/other/production', body, { token: s.tokens.writer })).status).toBe(404);
    expect((await s.post('/api/v2/segments/shop/staging', body, { token: s.tokens.writer })).status).toBe(404);
  });

  it('a segment lives in its own environment and project: the same key elsewhere is a different segment', async () => {
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    expect((await s.post('/api/v2/segments/shop/test', { ...body, name: 'Test env' })).status).toBe(201);
    expect((await s.post('/api/v2/segments/other/production', { ...body, name: 'Other project' })).status).toBe(201);
    expect((await s.get(`${path}/sec`)).body.name).toBe('Secure');
    expect((await s.get('/api/v2/segments/shop/test/sec')).body.name).toBe('Test env');
    expect((await s.get('/api/v2/segments/other/production/sec')).body.name).toBe('Other project');
  });
});
