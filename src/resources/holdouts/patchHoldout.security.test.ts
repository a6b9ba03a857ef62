import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchHoldout: security', () => {
  let s: TestServer;
  const path = '/api/v2/projects/proj/environments/production/holdouts/q3';
  const rename = (value: string) => ({ instructions: [{ kind: 'updateName', value }] });
  const end = { instructions: [{ kind: 'endHoldout' }] };
  const read = async (p = path) => (await s.get(p, BETA)).body;

  beforeAll(async () => {
    s = await startServer();
    const w = await createWorld(s);
    const other = await createWorld(s, 'other');
    expect((await s.post('/api/v2/projects/proj/environments/production/holdouts', { name: 'Q3', key: 'q3', holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA)).status).toBe(201);
    expect((await s.post('/api/v2/projects/other/environments/production/holdouts', { name: 'Theirs', key: 'theirs', holdoutamount: '10', metrics: [{ key: other.metric }] }, BETA)).status).toBe(201);
  });
  afterAll(() => s.close());

  it('403 without LD-API-Version: beta, whatever other version is sent; nothing changes', async () => {
    const none = await s.patch(path, end);
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
    expect((await s.patch(path, end, { headers: { 'LD-API-Version': '20240415' } })).status).toBe(403);
    expect((await read()).status).toBe('created');
  });

  it('401 without a token or with an unknown one; nothing changes', async () => {
    const none = await s.patch(path, rename('x'), { ...BETA, token: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.patch(path, rename('x'), { ...BETA, token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
    expect((await read()).baseExperiment.name).toBe('Q3');
  });

  it('403 for a reader token, and nothing changes; a writer may patch', async () => {
    for (const body of [rename('Reader'), end]) {
      const res = await s.patch(path, body, { ...BETA, token: s.tokens.reader });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect(res.body.message).toContain('reader');
    }
    expect(await read()).toMatchObject({ status: 'created', baseExperiment: { name: 'Q3' } });
    const writer = await s.patch(path, rename('Writer'), { ...BETA, token: s.tokens.writer });
    expect(writer.status).toBe(200);
    expect(writer.body.baseExperiment.name).toBe('Writer');
  });

  it("another project's holdout cannot be patched through this project", async () => {
    const res = await s.patch('/api/v2/projects/proj/environments/production/holdouts/theirs', end, BETA);
    expect(res.status).toBe(404);
    expect((await read('/api/v2/projects/other/environments/production/holdouts/theirs')).status).toBe('created');
  });

  it('refuses __proto__ in a patch body without polluting anything', async () => {
    const res = await s.request('PATCH', path, { ...BETA, raw: '{"instructions":[{"kind":"updateName","value":"p","__proto__":{"polluted":true}}]}' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await read()).baseExperiment.name).toBe('Writer');
  });
});
