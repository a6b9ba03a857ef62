import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postProject: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('409 conflict on a duplicate key, and nothing else is created', async () => {
    expect((await s.post('/api/v2/projects', { name: 'A', key: 'dup' })).status).toBe(201);
    const res = await s.post('/api/v2/projects', { name: 'B', key: 'dup', environments: [{ name: 'X', key: 'x', color: '000000' }] });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A project with the key "dup" already exists' });
    const project = await s.get('/api/v2/projects/dup?expand=environments');
    expect(project.body.name).toBe('A');
    expect(project.body.environments.items.map((e: { key: string }) => e.key)).toEqual(['production', 'test']);
  });

  it('400 naming every missing or mistyped field', async () => {
    const res = await s.post('/api/v2/projects', { name: 5 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { attribute: 'key', reason: 'must be present' },
        { attribute: 'name', reason: 'must be a string' },
      ]),
    );
    expect(res.body.message).toContain('key');
  });

  it('400 for a key with characters LaunchDarkly does not allow', async () => {
    const res = await s.post('/api/v2/projects', { name: 'A', key: 'has space' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].attribute).toBe('key');
  });

  it('400 for a naming convention casing LaunchDarkly does not have, snippet settings that disagree, and an environment source', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ namingConvention: { case: 'bogusCase' } }, 'namingConvention.case', /must be one of "camelCase", "upperCamelCase", "snakeCase", "kebabCase", "constantCase"/],
      [{ includeInSnippetByDefault: false, defaultClientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true } }, 'includeInSnippetByDefault', /they are one setting/],
      [{ environments: [{ name: 'E', key: 'e1', color: 'ffffff', source: { key: 'production' } }] }, 'environments[0].source', /a new project has no environment to clone/],
    ];
    for (const [extra, attribute, reason] of cases) {
      const res = await s.post('/api/v2/projects', { name: 'P', key: 'refused', ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.errors).toEqual([{ attribute, reason: expect.stringMatching(reason) }]);
    }
    expect((await s.get('/api/v2/projects/refused')).status).toBe(404);
    // Agreeing spellings of the one setting are taken.
    const agreed = await s.post('/api/v2/projects', { name: 'P', key: 'agreed', includeInSnippetByDefault: true, defaultClientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true } });
    expect(agreed.status).toBe(201);
    expect(agreed.body).toMatchObject({ includeInSnippetByDefault: true, defaultClientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true } });
  });

  it('400 for duplicate environment keys in the body', async () => {
    const res = await s.post('/api/v2/projects', {
      name: 'A',
      key: 'envdup',
      environments: [
        { name: 'X', key: 'x', color: '000000' },
        { name: 'Y', key: 'x', color: '000000' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'environments[1].key', reason: 'duplicate environment key "x"' }]);
    expect((await s.get('/api/v2/projects/envdup')).status).toBe(404);
  });

  it('400 for malformed JSON, an empty body and a non-JSON content type', async () => {
    const bad = await s.request('POST', '/api/v2/projects', { raw: '{"name": "x",' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
    expect(bad.body.message).toMatch(/not valid JSON/);
    const empty = await s.request('POST', '/api/v2/projects', { raw: '' });
    expect(empty.status).toBe(400);
    const form = await s.request('POST', '/api/v2/projects', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(400);
    expect(form.body.message).toMatch(/Content-Type must be application\/json/);
  });

  it('400 for __proto__ keys, and no prototype is polluted', async () => {
    const res = await s.request('POST', '/api/v2/projects', { raw: '{"name":"p","key":"p","__proto__":{"polluted":true}}' });
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
