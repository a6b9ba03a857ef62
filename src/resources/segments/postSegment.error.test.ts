import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postSegment: errors', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  async function rejects(body: Record<string, unknown>, errors: { attribute: string; reason: string | RegExp }[]) {
    const res = await s.post(path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual(errors.map((e) => ({ attribute: e.attribute, reason: typeof e.reason === 'string' ? e.reason : expect.stringMatching(e.reason) })));
    for (const e of errors) expect(res.body.message).toContain(e.attribute);
    if (typeof body.key === 'string') expect((await s.get(`${path}/${encodeURIComponent(body.key)}`)).status).toBe(404);
  }

  it('400 naming name and key when they are missing', async () => {
    await rejects({ description: 'no name, no key' }, [
      { attribute: 'name', reason: 'must be present' },
      { attribute: 'key', reason: 'must be present' },
    ]);
  });

  it('400 for a key LaunchDarkly would not accept', async () => {
    await rejects({ name: 'Spaced', key: 'has space' }, [{ attribute: 'key', reason: "must start with a letter or digit and contain only letters, digits, '.', '_' or '-'" }]);
    await rejects({ name: 'Dashed', key: '-leading' }, [{ attribute: 'key', reason: /must start with a letter or digit/ }]);
  });

  it('400 naming each view key that names no view of the project; nothing is made', async () => {
    await rejects({ name: 'Viewed', key: 'viewed', viewKeys: ['nope', 'gone'] }, [
      { attribute: 'viewKeys[0]', reason: 'there is no view "nope" in this project' },
      { attribute: 'viewKeys[1]', reason: 'there is no view "gone" in this project' },
    ]);
  });

  it('400 for an empty name, and for fields of the wrong type', async () => {
    await rejects({ name: '', key: 'empty-name' }, [{ attribute: 'name', reason: 'must not be empty' }]);
    await rejects({ name: 'Tagged', key: 'bad-tags', tags: 'beta' }, [{ attribute: 'tags', reason: 'must be an array' }]);
    await rejects({ name: 'Described', key: 'bad-description', description: 7 }, [{ attribute: 'description', reason: 'must be a string' }]);
    await rejects({ name: 'Unbounded', key: 'bad-unbounded', unbounded: 'yes' }, [{ attribute: 'unbounded', reason: 'must be a boolean' }]);
  });

  it('400 naming unboundedContextKind: given for a standard segment, or not a context kind', async () => {
    await rejects({ name: 'Standard', key: 'kind-on-standard', unboundedContextKind: 'device' }, [
      { attribute: 'unboundedContextKind', reason: 'applies only to big segments: send it with unbounded: true' },
    ]);
    await rejects({ name: 'Big', key: 'multi-kind', unbounded: true, unboundedContextKind: 'multi' }, [
      { attribute: 'unboundedContextKind', reason: `"multi" is not a context kind: letters, digits, '.', '_' and '-', and not "kind" or "multi"` },
    ]);
    await rejects({ name: 'Big', key: 'spaced-kind', unbounded: true, unboundedContextKind: 'a b' }, [{ attribute: 'unboundedContextKind', reason: /"a b" is not a context kind/ }]);
  });

  it('400 for a body that is not JSON or not an object', async () => {
    const bad = await s.request('POST', path, { raw: '{"name": "x",' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
    expect(bad.body.message).toMatch(/not valid JSON/);
    const list = await s.post(path, [{ name: 'x', key: 'x' }]);
    expect(list.status).toBe(400);
    expect(list.body.code).toBe('invalid_request');
  });

  it('404 naming the project or the environment that does not exist', async () => {
    const project = await s.post('/api/v2/segments/nope/production', { name: 'X', key: 'x' });
    expect(project.status).toBe(404);
    expect(project.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    const environment = await s.post('/api/v2/segments/shop/staging', { name: 'X', key: 'x' });
    expect(environment.status).toBe(404);
    expect(environment.body).toEqual({ code: 'not_found', message: 'Environment "staging" in project "shop" not found' });
  });

  it('409 conflict on a duplicate key in the environment; the first segment is untouched', async () => {
    expect((await s.post(path, { name: 'First', key: 'dup' })).status).toBe(201);
    const res = await s.post(path, { name: 'Second', key: 'dup' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A segment with the key "dup" already exists in environment "production" of project "shop"' });
    expect((await s.get(`${path}/dup`)).body.name).toBe('First');
  });

  it('concurrent creates of one key: exactly one 201, the rest 409', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => s.post(path, { name: `Race ${i}`, key: 'race' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!;
    expect((await s.get(`${path}/race`)).body).toEqual({ ...winner.body, _flags: [] });
  });

  it('400 naming viewKeys: a view the project lacks, or none while the project requires new segments to be linked to one', async () => {
    await rejects({ name: 'V', key: 'v', viewKeys: ['ghost'] }, [{ attribute: 'viewKeys[0]', reason: /no view "ghost"/ }]);
    await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/requireViewAssociationForNewSegments', value: true }]);
    try {
      await rejects({ name: 'V', key: 'v' }, [{ attribute: 'viewKeys', reason: /requires new segments to be linked to a view/ }]);
    } finally {
      await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/requireViewAssociationForNewSegments', value: false }]);
    }
  });

  it('a segment created while its environment is deleted is a 404 naming the environment, never a 500', async () => {
    // A few rounds: the creates and the delete interleave differently each time.
    for (let round = 0; round < 4; round++) {
      const env = `doomed-${round}`;
      expect((await s.post('/api/v2/projects/shop/environments', { name: env, key: env, color: '000000' })).status).toBe(201);
      const creates = Array.from({ length: 6 }, (_, i) => s.post(`/api/v2/segments/shop/${env}`, { name: `S${i}`, key: `s${i}` }));
      const [deleted, ...created] = await Promise.all([s.del(`/api/v2/projects/shop/environments/${env}`), ...creates]);
      expect(deleted.status).toBe(204);
      for (const res of created) {
        expect([201, 404], JSON.stringify(res.body)).toContain(res.status);
        if (res.status === 404) expect(res.body).toEqual({ code: 'not_found', message: `Environment "${env}" in project "shop" not found` });
      }
    }
  });
});
