// POST /api/v2/destinations/generate-warehouse-destination-key-pair — the account's Snowflake key pair: 201 with its
// public key. The first call makes a 2048-bit RSA pair and keeps both halves; later calls answer the same public key
// (a new pair would lock out every Snowflake destination configured with the old one), so 409 is never answered.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { refuseBody } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { DESTINATIONS_URL, findKeyPair, KEY_PAIR_ID, newKeyPair } from './model.js';
import { keyPairAudit, representKeyPair } from './represent.js';

export function postGenerateWarehouseDestinationKeyPair(app: FastifyInstance, deps: Deps): void {
  app.post(`${DESTINATIONS_URL}/generate-warehouse-destination-key-pair`, { config: { noBody: true } }, async (request, reply) => {
    refuseBody(request.body);
    const existing = await findKeyPair(deps.store.db);
    if (existing) return reply.code(201).send(representKeyPair(existing.public_key));
    // Generated outside the transaction (it takes a while); when two calls race, the first to write wins and both answer its key.
    const pair = await newKeyPair();
    const now = deps.now();
    const publicKey = await deps.store.tx(async (trx) => {
      const inserted = await trx
        .insertInto('destination_key_pairs')
        .values({ id: KEY_PAIR_ID, public_key: pair.publicKey, private_key: pair.privateKey, created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      const kept = (await findKeyPair(trx))!.public_key;
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
        await recordAudit(trx, request.actor, now, keyPairAudit(kept));
      }
      return kept;
    });
    return reply.code(201).send(representKeyPair(publicKey));
  });
}
