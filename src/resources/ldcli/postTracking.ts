// POST /internal/tracking (ldcli since its analytics moved there) and POST /api/v2/tracking (older ldcli) — ldcli's
// own usage analytics (`{"event": "CLI Command Run", "properties": {...}}`), sent after each command unless
// analytics are opted out. LaunchDarkly's product analytics, not the account's: iterlab keeps nothing and answers
// 204. ldcli reads no part of the answer, but waits for it (up to 3 s) before it exits.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { check } from '../../http/validation.js';

/** What ldcli sends; its properties vary by event and are not read. */
const TrackingEvent = Type.Object({ event: Type.String({ minLength: 1 }), properties: Type.Optional(Type.Object({})) });

export const TRACKING_PATHS = ['/internal/tracking', '/api/v2/tracking'] as const;

export function postTracking(app: FastifyInstance, _deps: Deps): void {
  for (const path of TRACKING_PATHS) {
    // Any token that may run ldcli's commands may send it: a reader's commands are tracked as a writer's.
    app.post(path, { config: { role: 'reader' } }, async (request, reply) => {
      const errors = check(TrackingEvent, request.body);
      if (errors.length > 0) throw validationFailed(errors);
      return reply.code(204).send();
    });
  }
}
