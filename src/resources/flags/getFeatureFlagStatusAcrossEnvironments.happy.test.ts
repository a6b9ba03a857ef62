import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, iso, START } from '../../../test/support/flagStatuses.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const LINKS = {
  parent: { href: '/api/v2/flag-status', type: 'application/json' },
  self: { href: '/api/v2/flag-status/shop/banner', type: 'application/json' },
};

describe('getFeatureFlagStatusAcrossEnvironments: happy path', () => {
  let s: TestServer;
  let clock = START;
  let client: LDClient | undefined;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock });
    await s.post('/api/v2/projects', {
      name: 'Shop',
      key: 'shop',
      environments: [
        { name: 'Production', key: 'production', color: '417505' },
        { name: 'Staging', key: 'staging', color: '00AAFF' },
        { name: 'Test', key: 'test', color: 'F5A623' },
      ],
    });
    expect((await s.post('/api/v2/flags/shop', { name: 'Banner', key: 'banner', isFlagOn: true })).status).toBe(201);
  });
  afterAll(async () => {
    client?.close();
    await s.close();
  });

  it('the status in every environment, in the project order, keyed by environment', async () => {
    const res = await s.get('/api/v2/flag-status/shop/banner');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ environments: { production: { name: 'new' }, staging: { name: 'new' }, test: { name: 'new' } }, key: 'banner', _links: LINKS });
    expect(Object.keys(res.body.environments)).toEqual(['production', 'staging', 'test']);
  });

  it('each environment by its own SDKs: launched where they still ask, inactive where they stopped, inactive where none asked', async () => {
    // Staging's SDKs asked on the second day only.
    const staging = await sdkKeyOf(s, 'shop', 'staging');
    clock = START + DAY;
    expect((await s.post('/bulk', [{ kind: 'summary', startDate: clock - 1000, endDate: clock, features: { banner: { default: true, counters: [{ value: true, count: 2, variation: 0, version: 1 }] } } }], { token: staging })).status).toBe(202);
    clock = START + 9 * DAY;
    client = sdkClient(s.url, await sdkKeyOf(s, 'shop'), { sendEvents: true, flushInterval: 3600 });
    await client.waitForInitialization({ timeout: 10 });
    expect(await client.variation('banner', { kind: 'user', key: 'ann' }, false)).toBe(true);
    await client.flush();

    const res = await s.get('/api/v2/flag-status/shop/banner');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      environments: {
        production: { name: 'launched', lastRequested: iso(clock), default: false },
        staging: { name: 'inactive', lastRequested: iso(START + DAY), default: true },
        test: { name: 'inactive' },
      },
      key: 'banner',
      _links: LINKS,
    });
  });

  it('`env` restricts the environments, repeated or comma-separated', async () => {
    expect(Object.keys((await s.get('/api/v2/flag-status/shop/banner?env=staging')).body.environments)).toEqual(['staging']);
    expect(Object.keys((await s.get('/api/v2/flag-status/shop/banner?env=test&env=production')).body.environments)).toEqual(['production', 'test']);
    expect(Object.keys((await s.get('/api/v2/flag-status/shop/banner?env=test,staging')).body.environments)).toEqual(['staging', 'test']);
    expect((await s.get('/api/v2/flag-status/shop/banner?env=production')).body.environments.production.name).toBe('launched');
  });
});
