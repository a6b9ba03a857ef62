// POST /api/v2/integration-capabilities/featureStore/{projectKey}/{environmentKey}/{integrationKey} (beta) — create a
// delivery configuration for a feature store integration (IntegrationDeliveryConfigurationPost): 201 with it, version
// 1. `config` is checked against the integration's form. Nothing is delivered (docs/compatibility.md).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { deliveryFrom, findDeliveryForm, type DeliveryRow } from './model.js';
import { deliveryAudit, representDelivery } from './represent.js';

export interface DeliveryParams {
  projectKey: string;
  environmentKey: string;
  integrationKey: string;
}

export function createIntegrationDeliveryConfiguration(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: DeliveryParams }>('/api/v2/integration-capabilities/featureStore/:projectKey/:environmentKey/:integrationKey', { config: { beta: true } }, async (request, reply) => {
    const { integrationKey } = request.params;
    const form = findDeliveryForm(integrationKey);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const doc = deliveryFrom(integrationKey, form, request.body);
    const scope = { projectKey: project.key, environmentKey: environment.key };
    const now = deps.now();
    const row: DeliveryRow = { id: objectId(now), environment_id: environment.id, integration_key: integrationKey, doc: JSON.stringify(doc), version: 1, created_at: now, last_modified: now };
    await deps.store.tx(async (trx) => {
      await trx.insertInto('delivery_configurations').values(row).execute();
      await recordAudit(trx, request.actor, now, deliveryAudit(row, scope, 'createIntegration', 'created', { after: row }));
    });
    return reply.code(201).send(representDelivery(row, scope));
  });
}
