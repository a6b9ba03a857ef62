// GET /api/v2/integrations/{integrationKey} — the integration's audit log subscriptions, oldest first (LaunchDarkly's
// list takes no parameters); 404 for a key that is no integration taking them.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findIntegration } from './model.js';
import { representSubscriptions } from './represent.js';

export function getSubscriptions(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { integrationKey: string } }>('/api/v2/integrations/:integrationKey', async (request) => {
    const { integrationKey } = request.params;
    const form = findIntegration(integrationKey);
    const rows = await deps.store.db.selectFrom('audit_log_subscriptions').selectAll().where('integration_key', '=', integrationKey).orderBy('created_at').orderBy('id').execute();
    return representSubscriptions(integrationKey, rows, form);
  });
}
