// POST /api/v2/approval-requests — ask for approval of flag instructions, naming the flag in its environment by
// `resourceId` (`proj/{p}:env/{e}:flag/{f}`); 201. iterlab's approvals are of flags only.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseFlagResource } from '../custom-roles/routeActions.js';
import type { FlagPlace } from '../flags/inEnvironment.js';
import { representAccountWide } from './accountWide.js';
import { createApproval } from './requests.js';
import { APPROVALS_URL } from './scope.js';

/** The flag and environment a resource id names; anything else is a 400 naming `resourceId`. */
export function placeOfResourceId(value: unknown): FlagPlace {
  const place = parseFlagResource(value);
  if (!place) {
    const reason = typeof value === 'string' && /:(segment|aiconfig)\//i.test(value) ? 'names a segment or AI Config: iterlab approval requests are of flags only' : 'must name a flag in an environment, as proj/{projectKey}:env/{environmentKey}:flag/{flagKey}';
    throw validationFailed([{ attribute: 'resourceId', reason }]);
  }
  return place;
}

export function postApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.post(APPROVALS_URL, async (request, reply) => {
    const body = request.body as Record<string, unknown> | null;
    const place = placeOfResourceId(body !== null && typeof body === 'object' ? body.resourceId : undefined);
    const { row, scope, siblings } = await createApproval(deps, place, body, request.actor, ['resourceId']);
    return reply.code(201).send(representAccountWide(scope, row, siblings, request.query));
  });
}
