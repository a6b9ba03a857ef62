// POST /api/v2/integration-configurations/keys/{integrationKey} (beta) — create an integration configuration
// (IntegrationConfigurationPost): 201 with it. `configValues` is checked against the integration's form, and
// `capabilityConfig` against the capabilities it has; a name its integration already has is a 409. The member who
// creates it maintains it (`_maintainerId`).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { configurationFrom, findConfigurableIntegration, type ConfigurationRow } from './model.js';
import { configurationAudit, representConfiguration } from './represent.js';

export function createIntegrationConfiguration(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { integrationKey: string } }>('/api/v2/integration-configurations/keys/:integrationKey', { config: { beta: true } }, async (request, reply) => {
    const { integrationKey } = request.params;
    const doc = { ...configurationFrom(integrationKey, findConfigurableIntegration(integrationKey), request.body), ...(request.actor ? { maintainerId: request.actor.memberId } : {}) };
    const now = deps.now();
    const row: ConfigurationRow = { id: objectId(now), integration_key: integrationKey, name: doc.name, doc: JSON.stringify(doc), created_at: now };
    await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          await trx.insertInto('integration_configurations').values(row).execute();
          await recordAudit(trx, request.actor, now, configurationAudit(row, 'createIntegration', 'created', { after: row }));
        }),
      `The ${integrationKey} integration already has a configuration named "${doc.name}"`,
    );
    return reply.code(201).send(representConfiguration(row));
  });
}
