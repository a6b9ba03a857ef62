// PATCH /api/v2/integration-configurations/{integrationConfigurationId} (beta) — a JSON Patch (bare, or
// `{comment, patch}`) on a configuration's name, configValues, enabled, tags and capabilityConfig: 200 with it. As
// with audit log subscriptions, the patch applies to the configuration as shown, secrets masked (a `test` cannot
// probe a secret; configValues sent back as read keep their secrets). Renaming to a name taken is a 409.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { readPatchBody } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { maskedOperations } from '../integrations/config.js';
import { firstChange, patchShown } from '../integrations/patch.js';
import type { ConfigurationParams } from './getIntegrationConfiguration.js';
import {
  authorizedConfiguration,
  CONFIGURATION_FIELD_ACTIONS,
  configurationDoc,
  configurationFrom,
  findConfigurableIntegration,
  READ_ONLY_CONFIGURATION_FIELDS,
  WRITABLE_CONFIGURATION_FIELDS,
  type ConfigurationRow,
} from './model.js';
import { configurationAudit, representConfiguration } from './represent.js';

const RULES = { writable: WRITABLE_CONFIGURATION_FIELDS, readOnly: READ_ONLY_CONFIGURATION_FIELDS };

/** The members a patch's operations touch (custom roles ask one action per member). */
function touched(ops: unknown): string[] {
  if (!Array.isArray(ops)) return [];
  return ops.map((op: unknown) => {
    const path = op !== null && typeof op === 'object' && typeof (op as { path?: unknown }).path === 'string' ? (op as { path: string }).path : '';
    return path.split('/')[1] ?? '';
  });
}

export function updateIntegrationConfiguration(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: ConfigurationParams }>('/api/v2/integration-configurations/:integrationConfigurationId', { config: { beta: true } }, async (request) => {
    const { ops, comment } = readPatchBody(request.body);
    const members = touched(ops);
    const actions = members.length === 0 ? ['updateConfiguration'] : members.map((m) => (CONFIGURATION_FIELD_ACTIONS as Record<string, string>)[m] ?? 'updateConfiguration');
    const now = deps.now();
    const row = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const row = await authorizedConfiguration(trx, request.actor, request.params.integrationConfigurationId, actions, deps.store);
          const integration = findConfigurableIntegration(row.integration_key);
          const stored = configurationDoc(row);
          const fields = patchShown(representConfiguration(row), ops, RULES, integration.form, stored.configValues, 'configValues');
          if (typeof fields.enabled !== 'boolean') throw validationFailed([{ attribute: 'enabled', reason: 'must be a boolean (true or false)' }]);
          const doc = { ...configurationFrom(row.integration_key, integration, fields), ...(stored.maintainerId !== undefined ? { maintainerId: stored.maintainerId } : {}) };
          const changed = firstChange(WRITABLE_CONFIGURATION_FIELDS, doc, stored);
          if (!changed) return row;
          const next: ConfigurationRow = { ...row, name: doc.name, doc: JSON.stringify(doc) };
          await trx.updateTable('integration_configurations').set({ name: next.name, doc: next.doc }).where('id', '=', row.id).execute();
          // Secrets stay out of the audit log, which every token may read.
          const extra = { ...(comment !== undefined ? { comment } : {}), delta: maskedOperations(integration.form, ops, 'configValues') };
          await recordAudit(trx, request.actor, now, configurationAudit(next, CONFIGURATION_FIELD_ACTIONS[changed], 'updated', { before: row, after: next }, extra));
          return next;
        }),
      'The integration already has a configuration of that name',
    );
    return representConfiguration(row);
  });
}
