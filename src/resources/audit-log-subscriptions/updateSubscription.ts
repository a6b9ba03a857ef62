// PATCH /api/v2/integrations/{integrationKey}/{id} — a JSON Patch (bare, or `{comment, patch}`) on a subscription's
// name, config, statements, on and tags: 200 with the Integration. Terraform's launchdarkly_audit_log_subscription
// replaces all five at once, /config whole with its secrets in the clear.
//
// The patch applies to the subscription as shown, secrets masked: a `test` cannot probe a secret, a `copy` cannot
// read one out, and a config sent back as read keeps the secrets it shows masked (config.ts, SECRET_MASK).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { readPatchBody } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { maskedOperations } from '../integrations/config.js';
import { firstChange, patchShown } from '../integrations/patch.js';
import {
  findIntegration,
  findSubscription,
  READ_ONLY_SUBSCRIPTION_FIELDS,
  SUBSCRIPTION_FIELD_ACTIONS,
  subscriptionDoc,
  subscriptionFrom,
  WRITABLE_SUBSCRIPTION_FIELDS,
  type SubscriptionRow,
} from './model.js';
import { representSubscription, subscriptionAudit } from './represent.js';

const RULES = { writable: WRITABLE_SUBSCRIPTION_FIELDS, readOnly: READ_ONLY_SUBSCRIPTION_FIELDS };

export function updateSubscription(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { integrationKey: string; id: string } }>('/api/v2/integrations/:integrationKey/:id', async (request) => {
    const { integrationKey, id } = request.params;
    const form = findIntegration(integrationKey);
    const { ops, comment } = readPatchBody(request.body);
    const now = deps.now();
    const row = await deps.store.tx(async (trx) => {
      const row = await findSubscription(trx, integrationKey, id, deps.store);
      const stored = subscriptionDoc(row);
      const fields = patchShown(representSubscription(row, form), ops, RULES, form, stored.config);
      // An update keeps `on` as it is unless it sets it; taking `on` away is no way to turn a subscription off.
      if (typeof fields.on !== 'boolean') throw validationFailed([{ attribute: 'on', reason: 'must be a boolean (true or false)' }]);
      const doc = subscriptionFrom(integrationKey, form, fields, stored.config);
      const changed = firstChange(WRITABLE_SUBSCRIPTION_FIELDS, doc, stored);
      if (!changed) return row;
      const next: SubscriptionRow = { ...row, doc: JSON.stringify(doc), last_modified: now };
      await trx.updateTable('audit_log_subscriptions').set({ doc: next.doc, last_modified: now }).where('id', '=', row.id).execute();
      // Secrets stay out of the audit log, which every token may read.
      const extra = { ...(comment !== undefined ? { comment } : {}), delta: maskedOperations(form, ops) };
      await recordAudit(trx, request.actor, now, subscriptionAudit(next, form, SUBSCRIPTION_FIELD_ACTIONS[changed], 'updated', { before: row, after: next }, extra));
      return next;
    });
    return representSubscription(row, form);
  });
}
