// POST /internal/device-authorization and POST /internal/device-authorization/token — ldcli's `login`, which asks
// LaunchDarkly for a device code and has the member approve it in LaunchDarkly's web application. iterlab has no web
// application to approve it in, nor members who sign in: both answer a 404 that ldcli prints as it is, saying how to
// give ldcli an access token instead.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';

export const DEVICE_AUTHORIZATION_PATHS = ['/internal/device-authorization', '/internal/device-authorization/token'] as const;

export const NO_DEVICE_LOGIN =
  'iterlab has no browser sign-in, so `ldcli login` cannot work against it: create an access token (POST /api/v2/tokens with an admin token, such as the one iterlab printed when it created its store) and give it to ldcli with `ldcli config --set access-token <token>`';

export function postDeviceAuthorization(app: FastifyInstance, _deps: Deps): void {
  for (const path of DEVICE_AUTHORIZATION_PATHS) {
    // ldcli sends no token here: there is none yet.
    app.post(path, { config: { public: true } }, async () => {
      throw new ApiError(404, 'not_found', NO_DEVICE_LOGIN);
    });
  }
}
