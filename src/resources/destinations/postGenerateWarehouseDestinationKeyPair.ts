// POST /api/v2/destinations/generate-warehouse-destination-key-pair — the account's Snowflake key pair: 201 with its
// public key. The first call makes a 2048-bit RSA pair and keeps both halves; later calls answer the same public key
// (a new pair would lock out every Snowflake destination configured with the old one), so 409 is never answered.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { refuseBody } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { ACCOUNT, DESTINATIONS_URL, keepKeyPair, pairToKeep } from './model.js';
import { keyPairAudit, representKeyPair } from './represent.js';

export function postGenerateWarehouseDestinationKeyPair(app: FastifyInstance, deps: Deps): void {
  app.post(`${DESTINATIONS_URL}/generate-warehouse-destination-key-pair`, { config: { noBody: true } }, async (request, reply) => {
    refuseBody(request.body);
    const pair = await pairToKeep(deps.store.db, ACCOUNT);
    const now = deps.now();
    const publicKey = await deps.store.tx(async (trx) => {
      const kept = await keepKeyPair(trx, ACCOUNT, pair, now);
      if (kept.created) await recordAudit(trx, request.actor, now, keyPairAudit(kept.publicKey));
      return kept.publicKey;
    });
    return reply.code(201).send(representKeyPair(publicKey));
  });
}
