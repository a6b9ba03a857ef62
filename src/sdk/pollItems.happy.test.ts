// The older polling paths: /sdk/latest-flags and /sdk/flags (/sdk/latest-segments and /sdk/segments) answer the same
// flags (segments) as /sdk/latest-all, without the wrapper, and one by key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('GET /sdk/latest-flags, /sdk/flags and the segments paths', () => {
  let s: TestServer;
  let w: World;
  let key: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    key = await sdkKeyOf(s, w.project);
  });
  afterAll(() => s.close());

  it('every flag, and one flag by key, as /sdk/latest-all has them', async () => {
    const all = (await s.get('/sdk/latest-all', { token: key })).body;
    for (const base of ['/sdk/latest-flags', '/sdk/flags']) {
      const flags = await s.get(base, { token: key });
      expect(flags.status).toBe(200);
      expect(flags.body).toEqual(all.flags);
      const one = await s.get(`${base}/${w.flag}`, { token: key });
      expect(one.status).toBe(200);
      expect(one.body).toEqual(all.flags[w.flag]);
      const again = await s.get(`${base}/${w.flag}`, { token: key, headers: { 'if-none-match': one.headers.etag as string } });
      expect(again.status).toBe(304);
      // If-None-Match compares weakly: a tag a cache weakened still matches, and so does `*`; another does not.
      for (const held of [`W/${one.headers.etag as string}`, '*', `"other", ${one.headers.etag as string}`]) {
        expect((await s.get(`${base}/${w.flag}`, { token: key, headers: { 'if-none-match': held } })).status, held).toBe(304);
      }
      expect((await s.get(`${base}/${w.flag}`, { token: key, headers: { 'if-none-match': 'W/"other"' } })).status).toBe(200);
    }
  });

  it('404 in LaunchDarkly\'s shape for an unknown or archived flag and an unknown segment', async () => {
    await s.post(`/api/v2/flags/${w.project}`, { key: 'old', name: 'Old' });
    await s.patch(`/api/v2/flags/${w.project}/old`, [{ op: 'replace', path: '/archived', value: true }]);
    for (const path of ['/sdk/latest-flags/nope', '/sdk/flags/old', '/sdk/latest-segments/nope', '/sdk/segments/nope']) {
      const res = await s.get(path, { token: key });
      expect(res.status, path).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });

  it('every segment, and one segment by key, as /sdk/latest-all has them', async () => {
    await s.post(`/api/v2/segments/${w.project}/production`, { key: 'beta', name: 'Beta' });
    await s.patch(`/api/v2/segments/${w.project}/production/beta`, [{ op: 'replace', path: '/included', value: ['u1'] }]);
    const all = (await s.get('/sdk/latest-all', { token: key })).body;
    expect(all.segments.beta).toMatchObject({ key: 'beta', version: 2, included: ['u1'], deleted: false });
    for (const base of ['/sdk/latest-segments', '/sdk/segments']) {
      expect((await s.get(base, { token: key })).body).toEqual(all.segments);
      const one = await s.get(`${base}/beta`, { token: key });
      expect(one.status).toBe(200);
      expect(one.body).toEqual(all.segments.beta);
    }
  });

  it('401 without an SDK key', async () => {
    for (const path of ['/sdk/latest-flags', `/sdk/flags/${w.flag}`, '/sdk/segments']) {
      const res = await s.get(path, { token: s.tokens.admin });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });
});
