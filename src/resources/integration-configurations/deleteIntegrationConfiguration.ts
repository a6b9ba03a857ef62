// DELETE /api/v2/integration-configurations/{integrationConfigurationId} (beta) — delete an integration
// configuration: 204. Custom roles need deleteIntegration on `integration/<key>/<id>`, checked once it is found.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import type { ConfigurationParams } from './getIntegrationConfiguration.js';
import { authorizedConfiguration } from './model.js';
import { configurationAudit } from './represent.js';

export function deleteIntegrationConfiguration(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: ConfigurationParams }>('/api/v2/integration-configurations/:integrationConfigurationId', { config: { beta: true } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await authorizedConfiguration(trx, request.actor, request.params.integrationConfigurationId, ['deleteIntegration'], deps.store);
      await trx.deleteFrom('integration_configurations').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, configurationAudit(row, 'deleteIntegration', 'deleted', { before: row }));
    });
    return reply.code(204).send();
  });
}
