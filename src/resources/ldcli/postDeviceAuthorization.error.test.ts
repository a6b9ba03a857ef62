// ldcli's `login` (device authorization): iterlab has no browser sign-in; both steps answer a 404 that says how to
// give ldcli an access token, which ldcli prints as its error. Nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { NO_DEVICE_LOGIN } from './postDeviceAuthorization.js';

describe('postDeviceAuthorization: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('404 naming the way to an access token, for the device code and for the token, as ldcli sends them (no token)', async () => {
    for (const [path, body] of [
      ['/internal/device-authorization', { clientId: 'e6506150369268abae3ed46152687201', deviceName: 'laptop' }],
      ['/internal/device-authorization/token', { deviceCode: 'abc' }],
    ] as const) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.post(path, body, { token: null, headers: { 'user-agent': 'launchdarkly-cli/v2.1.0' } })))).toBe(false);
      expect(res!.status).toBe(404);
      expect(res!.body).toEqual({ code: 'not_found', message: NO_DEVICE_LOGIN });
      expect(res!.body.message).toContain('ldcli config --set access-token');
    }
  });
});
