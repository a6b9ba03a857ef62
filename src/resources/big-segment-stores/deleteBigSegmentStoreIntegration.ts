// DELETE /api/v2/integration-capabilities/big-segment-store/{projectKey}/{environmentKey}/{integrationKey}/{integrationId}
// (beta) — delete a persistent store integration: 204. What was synced stays in the store, as LaunchDarkly leaves it;
// its `synchronized_on` ages, and SDKs soon report it STALE.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findStoreForm, findStoreIntegration } from './model.js';
import { storeAudit } from './represent.js';
import type { StoreIdParams } from './getBigSegmentStoreIntegration.js';

export function deleteBigSegmentStoreIntegration(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: StoreIdParams }>('/api/v2/integration-capabilities/big-segment-store/:projectKey/:environmentKey/:integrationKey/:integrationId', { config: { beta: true } }, async (request, reply) => {
    const { integrationKey, integrationId } = request.params;
    findStoreForm(integrationKey);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const scope = { projectKey: project.key, environmentKey: environment.key };
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findStoreIntegration(trx, environment.id, integrationKey, integrationId, deps.store);
      await trx.deleteFrom('big_segment_stores').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, storeAudit(row, scope, now, 'deleteIntegration', 'deleted', { before: row }));
    });
    return reply.code(204).send();
  });
}
