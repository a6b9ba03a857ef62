// POST /api/v2/destinations/projects/{projKey}/environments/{envKey}/generate-warehouse-destination-key-pair — the
// environment's own Snowflake key pair: 201 with its public key. As the account's pair (one code for both): made once
// (2048-bit RSA, both halves kept), then the same public key on every later call, so 409 is never answered. The
// environment's warehouse setup script names this pair's key.
import type { FastifyInstance } from 'fastify';
import type { Actor, Deps } from '../../http/context.js';
import { refuseBody } from '../../http/validation.js';
import type { Trx } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { destinationScope, ENVIRONMENT_DESTINATIONS_URL, keepKeyPair, pairToKeep, type EnvironmentParams, type NewKeyPair } from './model.js';
import { keyPairAudit, representKeyPair } from './represent.js';

/** The environment's public key, keeping `pair` as its pair (audited) when it has none yet. */
export async function keepEnvironmentKeyPair(trx: Trx, actor: Actor | undefined, params: EnvironmentParams, pair: NewKeyPair | undefined, now: number): Promise<string> {
  const { environmentId, place } = await destinationScope(trx, { projectKey: params.projKey, environmentKey: params.envKey });
  const kept = await keepKeyPair(trx, { environmentId }, pair, now);
  if (kept.created) await recordAudit(trx, actor, now, keyPairAudit(kept.publicKey, place));
  return kept.publicKey;
}

export function postGenerateProjectEnvWarehouseDestinationKeyPair(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: EnvironmentParams }>(`${ENVIRONMENT_DESTINATIONS_URL}/generate-warehouse-destination-key-pair`, { config: { noBody: true } }, async (request, reply) => {
    refuseBody(request.body);
    const { environmentId } = await destinationScope(deps.store.db, { projectKey: request.params.projKey, environmentKey: request.params.envKey });
    const pair = await pairToKeep(deps.store.db, { environmentId });
    const now = deps.now();
    const publicKey = await deps.store.tx((trx) => keepEnvironmentKeyPair(trx, request.actor, request.params, pair, now));
    return reply.code(201).send(representKeyPair(publicKey));
  });
}
