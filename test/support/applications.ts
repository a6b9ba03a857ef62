// Applications as LaunchDarkly adds them: an SDK poll whose X-LaunchDarkly-Tags name one, waited for until stored
// (the write follows the SDK's answer).
import { expect, vi } from 'vitest';
import { BETA } from './experimentRefs.js';
import { sdkKeyOf } from './sdk.js';
import { startServer, type TestServer } from './server.js';

/** Polls as a server-side SDK of `sdkKey` with these tags (`application-id/a application-version/1`) until stored. */
export async function seeApplication(s: Pick<TestServer, 'get'>, sdkKey: string, tags: string): Promise<void> {
  const res = await s.get('/sdk/latest-all', { token: sdkKey, headers: { 'X-LaunchDarkly-Tags': tags } });
  expect(res.status).toBe(200);
  const key = /application-id\/(\S+)/.exec(tags)![1];
  const version = /application-version\/(\S+)/.exec(tags)?.[1];
  await vi.waitFor(async () => {
    const versions = await s.get(`/api/v2/applications/${key}/versions?limit=1000`, BETA);
    expect(versions.status).toBe(200);
    if (version) expect(versions.body.items.map((item: { key: string }) => item.key)).toContain(version);
  });
}

/**
 * A server with the project `shop`, whose production SDK named each of `tags` in turn (one a second after the other
 * from `t0`, when given: the server's clock then stands at the last). `keys(path)` lists a list's item keys.
 */
export async function serverWithApplications(tags: readonly string[], t0?: number): Promise<{ s: TestServer; sdkKey: string; keys: (path: string) => Promise<string[]> }> {
  let now = t0 ?? 0;
  const s = await startServer(t0 === undefined ? {} : { now: () => now });
  expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  const sdkKey = await sdkKeyOf(s, 'shop');
  for (const [i, tag] of tags.entries()) {
    now = (t0 ?? 0) + i * 1_000;
    await seeApplication(s, sdkKey, tag);
  }
  const keys = async (path: string) => {
    const res = await s.get(path, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((item: { key: string }) => item.key) as string[];
  };
  return { s, sdkKey, keys };
}
