// LD-API-Version: what changes between the versions iterlab answers (header first, else the token's default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';

const version = (v: string) => ({ headers: { 'LD-API-Version': v } });

describe('LD-API-Version', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    for (let i = 0; i < 22; i++) expect((await s.post('/api/v2/projects', { name: `P${String(i).padStart(2, '0')}`, key: `p${i}` })).status).toBe(201);
    for (let i = 0; i < 23; i++) expect((await s.post('/api/v2/flags/p0', { name: `F${i}`, key: `f${i}` })).status).toBe(201);
    for (let i = 0; i < 24; i++) expect((await s.post('/api/v2/tokens', { name: `t${i}` })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('400 naming LD-API-Version for a version LaunchDarkly does not have', async () => {
    const res = await s.get('/api/v2/projects', version('20230101'));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toContain('LD-API-Version');
  });

  it('an empty header asks for no version, as no header does; a request without a valid token is a 401 before its version is read', async () => {
    const res = await s.get('/api/v2/projects', version(''));
    expect(res.status).toBe(200);
    expect(res.body).toEqual((await s.get('/api/v2/projects')).body);
    const unauthenticated = await s.get('/api/v2/projects', { token: 'api-not-a-token', headers: { 'LD-API-Version': 'bogus' } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.code).toBe('unauthorized');
  });

  it('flags list: 20240415 pages by 20 and leaves out environments unless one is named; 20220603 lists every flag with every environment', async () => {
    const current = await s.get('/api/v2/flags/p0', version('20240415'));
    expect(current.body.items).toHaveLength(20);
    expect(current.body.items[0]).not.toHaveProperty('environments');
    expect((await s.get('/api/v2/flags/p0?filter=filterEnv:test', version('20240415'))).body.items[0].environments).toHaveProperty('test');
    const old = await s.get('/api/v2/flags/p0', version('20220603'));
    expect(old.body.items).toHaveLength(23);
    expect(old.body.totalCount).toBe(23);
    expect(Object.keys(old.body.items[0].environments)).toEqual(['production', 'test']);
    expect(old.body.items[0].environments.production).toHaveProperty('_summary');
    expect(old.body.items[0].environments.production).not.toHaveProperty('rules');
    expect(old.body._links).not.toHaveProperty('next');
    // an explicit limit still pages
    expect((await s.get('/api/v2/flags/p0?limit=5', version('20220603'))).body.items).toHaveLength(5);
    // `beta` reads as the current version
    expect((await s.get('/api/v2/flags/p0', version('beta'))).body.items).toHaveLength(20);
    // 20191212 made summaries the default: before it, every environment carries its full targeting
    const oldest = await s.get('/api/v2/flags/p0?limit=1', version('20160426'));
    expect(oldest.body.items[0].environments.production).toHaveProperty('rules');
    expect(oldest.body.items[0].environments.production).toHaveProperty('targets');
    expect((await s.get('/api/v2/flags/p0?limit=1', version('20191212'))).body.items[0].environments.production).not.toHaveProperty('rules');
    expect((await s.get('/api/v2/flags/p0?limit=1&summary=true', version('20160426'))).body.items[0].environments.production).not.toHaveProperty('rules');
  });

  it('projects list: 20220603 and 20240415 page by 20 without environments; 20210729 lists every project with its environments', async () => {
    for (const v of ['20220603', '20240415']) {
      const res = await s.get('/api/v2/projects', version(v));
      expect(res.body.items).toHaveLength(20);
      expect(res.body.items[0]).not.toHaveProperty('environments');
    }
    const old = await s.get('/api/v2/projects', version('20210729'));
    expect(old.body.items).toHaveLength(22);
    expect(old.body.items[0].environments.items.map((e: { key: string }) => e.key)).toEqual(['production', 'test']);
    expect((await s.get('/api/v2/projects/p1', version('20191212'))).body.environments.totalCount).toBe(2);
    expect((await s.get('/api/v2/projects/p1', version('20220603'))).body).not.toHaveProperty('environments');
  });

  it('tokens list: 20240415 pages by 25; 20220603 lists every token (24, one per role, and the generated admin token)', async () => {
    expect((await s.get('/api/v2/tokens', version('20240415'))).body.items).toHaveLength(25);
    expect((await s.get('/api/v2/tokens', version('20220603'))).body.items).toHaveLength(28);
  });

  it('the SDKs\' protocol is not the REST API: its routes answer the same whatever LD-API-Version says', async () => {
    const env = (await s.get('/api/v2/projects/p0/environments/production')).body;
    const user = { kind: 'user', key: 'versioned' };
    const context = Buffer.from(JSON.stringify(user)).toString('base64url');
    const calls: [string, string, string | null, unknown][] = [
      ['GET', '/sdk/latest-all', env.apiKey, undefined],
      ['GET', `/sdk/evalx/${env._id}/contexts/${context}`, null, undefined],
      ['REPORT', `/sdk/evalx/${env._id}/context`, null, user],
      ['GET', `/msdk/evalx/contexts/${context}`, env.mobileKey, undefined],
      ['REPORT', '/msdk/evalx/context', env.mobileKey, user],
      ['GET', `/sdk/goals/${env._id}`, null, undefined],
      ['POST', `/events/bulk/${env._id}`, null, []],
      ['POST', '/mobile/events/bulk', env.mobileKey, []],
    ];
    for (const [method, path, token, body] of calls) {
      const plain = await s.request(method, path, { token, body });
      expect(plain.status, `${method} ${path}`).toBeLessThan(300);
      for (const v of ['20230101', '20220603', 'beta']) {
        const res = await s.request(method, path, { token, body, ...version(v) });
        expect({ status: res.status, body: res.body }, `${method} ${path} with LD-API-Version ${v}`).toEqual({ status: plain.status, body: plain.body });
      }
    }
  });

  it('without the header, the token\'s defaultApiVersion decides', async () => {
    const old = await s.post('/api/v2/tokens', { name: 'legacy', role: 'reader', defaultApiVersion: 20220603 });
    expect((await s.get('/api/v2/flags/p0', { token: old.body.token })).body.items).toHaveLength(23);
    expect((await s.get('/api/v2/flags/p0', { token: old.body.token, ...version('20240415') })).body.items).toHaveLength(20);
  });
});
