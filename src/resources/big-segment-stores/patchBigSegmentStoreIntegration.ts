// PATCH /api/v2/integration-capabilities/big-segment-store/{projectKey}/{environmentKey}/{integrationKey}/{integrationId}
// (beta) — a JSON Patch (bare, or `{comment, patch}`) on an integration's name, config, on and tags: 200 with it, its
// version one more. As with audit log subscriptions, the patch applies to the integration as shown, secrets masked
// (a `test` cannot probe a secret; a config sent back as read keeps its secrets). A change resyncs the store.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { readPatchBody } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { maskedOperations } from '../integrations/config.js';
import { firstChange, patchShown } from '../integrations/patch.js';
import { findStoreForm, findStoreIntegration, READ_ONLY_STORE_FIELDS, STORE_FIELD_ACTIONS, storeDoc, storeIntegrationFrom, WRITABLE_STORE_FIELDS, type StoreIntegrationRow } from './model.js';
import { representStoreIntegration, storeAudit } from './represent.js';
import type { StoreIdParams } from './getBigSegmentStoreIntegration.js';
import { syncEnvironment } from './sync.js';

const RULES = { writable: WRITABLE_STORE_FIELDS, readOnly: READ_ONLY_STORE_FIELDS };

export function patchBigSegmentStoreIntegration(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: StoreIdParams }>('/api/v2/integration-capabilities/big-segment-store/:projectKey/:environmentKey/:integrationKey/:integrationId', { config: { beta: true } }, async (request) => {
    const { integrationKey, integrationId } = request.params;
    const form = findStoreForm(integrationKey);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const scope = { projectKey: project.key, environmentKey: environment.key };
    const { ops, comment } = readPatchBody(request.body);
    const now = deps.now();
    const { row, changed } = await deps.store.tx(async (trx) => {
      const row = await findStoreIntegration(trx, environment.id, integrationKey, integrationId, deps.store);
      const stored = storeDoc(row);
      const fields = patchShown(representStoreIntegration(row, scope, now), ops, RULES, form, stored.config);
      if (typeof fields.on !== 'boolean') throw validationFailed([{ attribute: 'on', reason: 'must be a boolean (true or false)' }]);
      const doc = storeIntegrationFrom(integrationKey, form, fields);
      const changed = firstChange(WRITABLE_STORE_FIELDS, doc, stored);
      if (!changed) return { row, changed: false };
      const next: StoreIntegrationRow = { ...row, doc: JSON.stringify(doc), version: row.version + 1, last_modified: now };
      await trx.updateTable('big_segment_stores').set({ doc: next.doc, version: next.version, last_modified: now }).where('id', '=', row.id).execute();
      // Secrets stay out of the audit log, which every token may read.
      const extra = { ...(comment !== undefined ? { comment } : {}), delta: maskedOperations(form, ops) };
      await recordAudit(trx, request.actor, now, storeAudit(next, scope, now, STORE_FIELD_ACTIONS[changed], 'updated', { before: row, after: next }, extra));
      return { row: next, changed: true };
    });
    if (changed && storeDoc(row).on) void syncEnvironment(deps, environment.id);
    return representStoreIntegration(row, scope, now);
  });
}
