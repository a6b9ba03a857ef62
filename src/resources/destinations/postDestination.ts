// POST /api/v2/destinations/{projectKey}/{environmentKey} — a new Data Export destination in the environment: 201
// with it, version 1, its secrets masked. `name` defaults to the kind and `on` to false.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { configProblems, DESTINATION_URL, DestinationPost, destinationScope, snowflakePublicKeys, type DestinationDoc, type DestinationParams, type DestinationRow } from './model.js';
import { destinationAudit, representDestination } from './represent.js';

export function postDestination(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: DestinationParams; Body: DestinationPost }>(DESTINATION_URL, { schema: { body: DestinationPost } }, async (request, reply) => {
    const { kind, config } = request.body;
    const now = deps.now();
    const rep = await deps.store.tx(async (trx) => {
      const { environmentId, place } = await destinationScope(trx, request.params);
      const publicKeys = kind === 'snowflake-v2' ? await snowflakePublicKeys(trx, environmentId) : [];
      const problems = configProblems(kind, config, publicKeys);
      if (problems.length > 0) throw validationFailed(problems);
      const maintainer = request.actor ? { maintainerId: request.actor.memberId } : {};
      const doc: DestinationDoc = { name: request.body.name ?? kind, config, on: request.body.on ?? false, version: 1, ...maintainer };
      const row: DestinationRow = { id: objectId(now), environment_id: environmentId, kind, doc: JSON.stringify(doc), created_at: now };
      await trx.insertInto('destinations').values(row).execute();
      const shown = representDestination(row, place);
      await recordAudit(trx, request.actor, now, destinationAudit(row, place, 'createDestination', 'created', { after: shown }));
      return shown;
    });
    return reply.code(201).send(rep);
  });
}
