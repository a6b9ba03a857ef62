// POST /api/v2/destinations/projects/{projKey}/environments/{envKey}/generate-trust-policy — the AWS trust policy a
// Kinesis destination's role needs: 201 with it. Its external id is the environment's `_id`, so the policy is the
// same each time for one environment and differs between environments; nothing is written.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { refuseBody } from '../../http/validation.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { DESTINATIONS_URL } from './model.js';
import { representTrustPolicy } from './represent.js';

export function postGenerateTrustPolicy(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projKey: string; envKey: string } }>(`${DESTINATIONS_URL}/projects/:projKey/environments/:envKey/generate-trust-policy`, { config: { noBody: true } }, async (request, reply) => {
    refuseBody(request.body);
    const { environment } = await findProjectEnvironment(deps.store.db, request.params.projKey, request.params.envKey);
    return reply.code(201).send(representTrustPolicy(environment.id));
  });
}
