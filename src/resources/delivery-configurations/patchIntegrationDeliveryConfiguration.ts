// PATCH /api/v2/integration-capabilities/featureStore/{projectKey}/{environmentKey}/{integrationKey}/{id} (beta) — a
// JSON Patch (bare, or `{comment, patch}`) on a configuration's name, config, on and tags: 200 with it, its version
// one more. As with audit log subscriptions, the patch applies to the configuration as shown, secrets masked (a
// `test` cannot probe a secret; a config sent back as read keeps its secrets).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { readPatchBody } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { maskedOperations } from '../integrations/config.js';
import { firstChange, patchShown } from '../integrations/patch.js';
import { DELIVERY_ID_ROUTE, type DeliveryIdParams } from './getIntegrationDeliveryConfigurationById.js';
import { DELIVERY_FIELD_ACTIONS, deliveryDoc, deliveryFrom, findDelivery, findDeliveryForm, READ_ONLY_DELIVERY_FIELDS, WRITABLE_DELIVERY_FIELDS, type DeliveryRow } from './model.js';
import { deliveryAudit, representDelivery } from './represent.js';

const RULES = { writable: WRITABLE_DELIVERY_FIELDS, readOnly: READ_ONLY_DELIVERY_FIELDS };

export function patchIntegrationDeliveryConfiguration(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: DeliveryIdParams }>(DELIVERY_ID_ROUTE, { config: { beta: true } }, async (request) => {
    const { integrationKey, id } = request.params;
    const form = findDeliveryForm(integrationKey);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const scope = { projectKey: project.key, environmentKey: environment.key };
    const { ops, comment } = readPatchBody(request.body);
    const now = deps.now();
    const row = await deps.store.tx(async (trx) => {
      const row = await findDelivery(trx, environment.id, integrationKey, id, deps.store);
      const stored = deliveryDoc(row);
      const fields = patchShown(representDelivery(row, scope), ops, RULES, form, stored.config);
      if (typeof fields.on !== 'boolean') throw validationFailed([{ attribute: 'on', reason: 'must be a boolean (true or false)' }]);
      const doc = deliveryFrom(integrationKey, form, fields);
      const changed = firstChange(WRITABLE_DELIVERY_FIELDS, doc, stored);
      if (!changed) return row;
      const next: DeliveryRow = { ...row, doc: JSON.stringify(doc), version: row.version + 1, last_modified: now };
      await trx.updateTable('delivery_configurations').set({ doc: next.doc, version: next.version, last_modified: now }).where('id', '=', row.id).execute();
      // Secrets stay out of the audit log, which every token may read.
      const extra = { ...(comment !== undefined ? { comment } : {}), delta: maskedOperations(form, ops) };
      await recordAudit(trx, request.actor, now, deliveryAudit(next, scope, DELIVERY_FIELD_ACTIONS[changed], 'updated', { before: row, after: next }, extra));
      return next;
    });
    return representDelivery(row, scope);
  });
}
