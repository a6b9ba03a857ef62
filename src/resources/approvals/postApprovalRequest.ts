// POST /api/v2/approval-requests — ask for approval of instructions, naming what they change by `resourceId`: a flag in
// an environment (`proj/{p}:env/{e}:flag/{f}`, flag instructions) or a segment (`proj/{p}:env/{e}:segment/{s}`,
// patchSegment's instructions); 201.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseFlagResource, parseSegmentResource } from '../custom-roles/routeActions.js';
import type { FlagPlace } from '../flags/inEnvironment.js';
import { representAccountWide, representSegmentAccountWide } from './accountWide.js';
import { createApproval } from './requests.js';
import type { SegmentPlace } from '../segments/model.js';
import { createSegmentApproval } from './segmentRequests.js';
import { APPROVALS_URL } from './scope.js';

/** The flag or segment a resource id names; anything else is a 400 naming `resourceId`. */
export function placeOfResourceId(value: unknown): { kind: 'flag'; place: FlagPlace } | { kind: 'segment'; place: SegmentPlace } {
  const ofSegment = parseSegmentResource(value);
  if (ofSegment) return { kind: 'segment', place: ofSegment };
  const ofFlag = parseFlagResource(value);
  if (ofFlag) return { kind: 'flag', place: ofFlag };
  const reason = typeof value === 'string' && /:aiconfig\//i.test(value)
    ? 'names an AI Config: iterlab approval requests are of flags and segments only'
    : 'must name a flag or a segment in an environment, as proj/{projectKey}:env/{environmentKey}:flag/{flagKey} or proj/{projectKey}:env/{environmentKey}:segment/{segmentKey}';
  throw validationFailed([{ attribute: 'resourceId', reason }]);
}

export function postApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.post(APPROVALS_URL, async (request, reply) => {
    const body = request.body as Record<string, unknown> | null;
    const target = placeOfResourceId(body !== null && typeof body === 'object' ? body.resourceId : undefined);
    if (target.kind === 'segment') {
      const { row, scope, siblings } = await createSegmentApproval(deps, target.place, body, request.actor, ['resourceId']);
      return reply.code(201).send(representSegmentAccountWide(scope, row, siblings, request.query));
    }
    const { row, scope, siblings } = await createApproval(deps, target.place, body, request.actor, ['resourceId']);
    return reply.code(201).send(representAccountWide(scope, row, siblings, request.query));
  });
}
