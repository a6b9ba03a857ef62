// GET /api/v2/destinations/{projectKey}/{environmentKey}/{id} — one Data Export destination, its secrets masked.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { DESTINATION_URL, destinationScope, findDestination, type DestinationParams } from './model.js';
import { representDestination } from './represent.js';

export function getDestination(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: DestinationParams & { id: string } }>(`${DESTINATION_URL}/:id`, async (request) => {
    const db = deps.store.db;
    const { environmentId, place } = await destinationScope(db, request.params);
    return representDestination(await findDestination(db, environmentId, request.params.id), place);
  });
}
