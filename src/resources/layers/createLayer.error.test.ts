import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('createLayer: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('409 conflict on a duplicate key, and the first layer is untouched', async () => {
    expect((await s.post('/api/v2/projects/proj/layers', { key: 'dup', name: 'First', description: '' })).status).toBe(201);
    const res = await s.post('/api/v2/projects/proj/layers', { key: 'dup', name: 'Second', description: '' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A layer with the key "dup" already exists in project "proj"' });
    const list = await s.get('/api/v2/projects/proj/layers');
    expect(list.body.items.map((l: { name: string }) => l.name)).toEqual(['First']);
  });

  it('400 naming every missing or mistyped field', async () => {
    const res = await s.post('/api/v2/projects/proj/layers', { name: 5 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { attribute: 'key', reason: 'must be present' },
        { attribute: 'description', reason: 'must be present' },
        { attribute: 'name', reason: 'must be a string' },
      ]),
    );
    expect(res.body.message).toContain('key');
    expect(res.body.message).toContain('description');
  });

  it('400 for an empty name and a key LaunchDarkly does not allow', async () => {
    const res = await s.post('/api/v2/projects/proj/layers', { key: 'has space', name: '', description: '' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { attribute: string }) => e.attribute).sort()).toEqual(['key', 'name']);
  });

  it('400 for a body that is not an object or not JSON', async () => {
    const array = await s.post('/api/v2/projects/proj/layers', [{ key: 'a' }]);
    expect(array.status).toBe(400);
    expect(array.body.code).toBe('invalid_request');
    const bad = await s.request('POST', '/api/v2/projects/proj/layers', { raw: '{"key":' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/not valid JSON/);
  });

  it('404 naming an unknown project', async () => {
    const res = await s.post('/api/v2/projects/nope/layers', { key: 'k', name: 'N', description: '' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });
});
