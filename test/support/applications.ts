// Applications as LaunchDarkly adds them: an SDK poll whose X-LaunchDarkly-Tags name one, waited for until stored
// (the write follows the SDK's answer).
import { expect, vi } from 'vitest';
import { BETA } from './experimentRefs.js';
import type { TestServer } from './server.js';

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
