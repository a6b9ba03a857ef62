import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postHoldout: security', () => {
  let s: TestServer;
  let w: World;
  let body: Record<string, unknown>;
  const path = '/api/v2/projects/proj/environments/production/holdouts';
  const nothingCreated = async (key: string) => {
    expect((await s.get(`${path}/${key}`, BETA)).status).toBe(404);
    expect((await s.get(`/api/v2/flags/proj/${key}`)).status).toBe(404);
    expect((await s.get(`/api/v2/projects/proj/environments/production/experiments/${key}`)).status).toBe(404);
  };

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    expect((await s.post('/api/v2/projects', { name: 'Other', key: 'other' })).status).toBe(201);
    expect((await s.post('/api/v2/metrics/other', { key: 'theirs', kind: 'custom', eventKey: 't', isNumeric: false })).status).toBe(201);
    body = { name: 'Holdout', key: 'h', holdoutamount: '10', metrics: [{ key: w.metric }] };
  });
  afterAll(() => s.close());

  it('403 without LD-API-Version: beta (it is a beta resource), whatever other version is sent; nothing is created', async () => {
    const none = await s.post(path, body);
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
    const dated = await s.post(path, body, { headers: { 'LD-API-Version': '20240415' } });
    expect(dated.status).toBe(403);
    expect(dated.body.code).toBe('forbidden');
    await nothingCreated('h');
  });

  it('400 for an API version that does not exist', async () => {
    const res = await s.post(path, body, { headers: { 'LD-API-Version': '19990101' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toContain('LD-API-Version');
    await nothingCreated('h');
  });

  it('401 without a token or with an unknown one', async () => {
    const none = await s.post(path, body, { ...BETA, token: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.post(path, body, { ...BETA, token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
    await nothingCreated('h');
  });

  it('403 for a reader token, and nothing is created; a writer may create', async () => {
    const reader = await s.post(path, body, { ...BETA, token: s.tokens.reader });
    expect(reader.status).toBe(403);
    expect(reader.body.code).toBe('forbidden');
    expect(reader.body.message).toContain('reader');
    await nothingCreated('h');
    const writer = await s.post(path, body, { ...BETA, token: s.tokens.writer });
    expect(writer.status, JSON.stringify(writer.body)).toBe(201);
    expect(writer.body.baseExperiment.key).toBe('h');
  });

  it('400 for __proto__ keys, and no prototype is polluted', async () => {
    const raw = JSON.stringify({ ...body, key: 'proto' }).replace(/^\{/, '{"__proto__":{"polluted":true},');
    const res = await s.request('POST', path, { ...BETA, raw });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await nothingCreated('proto');
  });

  it("cannot use another project's metric, nor reach into another project", async () => {
    const res = await s.post(path, { ...body, key: 'cross', metrics: [{ key: 'theirs' }] }, BETA);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'metrics[0].key', reason: 'metric "theirs" not found in project "proj"' }]);
    await nothingCreated('cross');
    // The same key in another project is another holdout, with its own flag; proj's is untouched.
    const before = (await s.get('/api/v2/flags/proj/h')).body;
    const other = await s.post('/api/v2/projects/other/environments/production/holdouts', { ...body, metrics: [{ key: 'theirs' }] }, BETA);
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    expect((await s.get('/api/v2/flags/other/h')).body._purpose).toBe('holdout');
    expect((await s.get('/api/v2/flags/proj/h')).body).toEqual(before);
    expect((await s.get(path, BETA)).body.items.map((h: any) => h._id)).not.toContain(other.body._id);
  });

  it("custom roles: createHoldout makes the holdout and its flag; a deny on creating that flag refuses it, nothing made", async () => {
    const token = async (statements: object[]) =>
      (await s.post('/api/v2/tokens', { name: `holdouts ${statements.length}`, inlineRole: [{ effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }, { effect: 'allow', resources: ['proj/*:env/*:holdout/*'], actions: ['createHoldout'] }, ...statements] })).body.token as string;
    const denied = await token([{ effect: 'deny', resources: ['proj/*:env/*:flag/*'], actions: ['createFlag'] }]);
    const refused = await s.post(path, { ...body, key: 'no-flag' }, { ...BETA, token: denied });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('deny createFlag on proj/proj:env/*:flag/no-flag');
    await nothingCreated('no-flag');
    const made = await s.post(path, { ...body, key: 'with-flag' }, { ...BETA, token: await token([]) });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await s.get('/api/v2/flags/proj/with-flag')).status).toBe(200);
  });
});
