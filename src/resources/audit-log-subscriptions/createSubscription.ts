// POST /api/v2/integrations/{integrationKey} — create an audit log subscription (subscriptionPost): 201 with the
// Integration. `config` is checked against the integration's form (manifests.ts); statements as custom roles' are.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findIntegration, subscriptionFrom, type SubscriptionRow } from './model.js';
import { representSubscription, subscriptionAudit } from './represent.js';

export function createSubscription(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { integrationKey: string } }>('/api/v2/integrations/:integrationKey', async (request, reply) => {
    const { integrationKey } = request.params;
    const form = findIntegration(integrationKey);
    const doc = subscriptionFrom(integrationKey, form, request.body);
    const now = deps.now();
    const row: SubscriptionRow = { id: objectId(now), integration_key: integrationKey, doc: JSON.stringify(doc), created_at: now, last_modified: now };
    await deps.store.tx(async (trx) => {
      await trx.insertInto('audit_log_subscriptions').values(row).execute();
      await recordAudit(trx, request.actor, now, subscriptionAudit(row, form, 'createIntegration', 'created', { after: row }));
    });
    return reply.code(201).send(representSubscription(row, form));
  });
}
